package dev.doorman.authz;

import java.util.List;

/**
 * Where role bindings come from: the caller supplies them (Doorman reads them from its database). Called once
 * per decision; an exception makes the decision a deny (fail closed).
 */
@FunctionalInterface
public interface RoleBindingSource {
    List<RoleBinding> bindingsFor(Subject subject);

    static RoleBindingSource none() {
        return subject -> List.of();
    }

    static RoleBindingSource of(List<RoleBinding> bindings) {
        List<RoleBinding> copy = List.copyOf(bindings);
        return subject -> copy.stream().filter(b -> b.subjectId().equals(subject.id())).toList();
    }
}
