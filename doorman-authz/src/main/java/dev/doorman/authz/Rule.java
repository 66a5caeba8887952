package dev.doorman.authz;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An allow or deny that covers some actions, optionally only for holders of some roles, optionally only when a
 * CEL condition is true. Deny rules override allows.
 */
public record Rule(String name, Effect effect, List<Permission> actions, Set<String> roles, Optional<Condition> condition) {
    public enum Effect { ALLOW, DENY }

    public Rule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(effect, "effect");
        actions = List.copyOf(actions);
        roles = Set.copyOf(roles);
        Objects.requireNonNull(condition, "condition");
    }

    boolean covers(Action action) {
        for (Permission p : actions) {
            if (p.covers(action)) return true;
        }
        return false;
    }
}
