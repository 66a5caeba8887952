package dev.doorman.access;

import dev.doorman.account.RoleStore;
import dev.doorman.account.UserId;
import dev.doorman.authz.RoleBinding;
import dev.doorman.authz.RoleBindingSource;
import dev.doorman.authz.Subject;

import java.util.ArrayList;
import java.util.List;

/**
 * The bindings the policy engine sees for a subject: a user's global roles (user_roles, the roles also put into
 * tokens) and every row of role_bindings for the user or client. Read on each decision, so a removed binding stops
 * counting at once (AZ-03).
 */
public final class DoormanBindings implements RoleBindingSource {
    private final RoleStore roles;
    private final RoleBindingStore bindings;

    public DoormanBindings(RoleStore roles, RoleBindingStore bindings) {
        this.roles = roles;
        this.bindings = bindings;
    }

    @Override
    public List<RoleBinding> bindingsFor(Subject subject) {
        // User ids are UUIDs and client ids never are (client rules), so the kind decides which ids can match:
        // a "client" named like a user, or a "user" named like a client, gets nothing.
        var user = UserId.tryParse(subject.id());
        if ((subject.kind() == Subject.Kind.USER) != user.isPresent()) return List.of();
        var out = new ArrayList<RoleBinding>();
        user.ifPresent(u -> roles.rolesOf(u).forEach(role -> out.add(RoleBinding.global(subject.id(), role))));
        bindings.bindingsOf(subject.id()).forEach(b -> out.add(b.binding()));
        return out;
    }
}
