package dev.doorman.access;

import dev.doorman.account.RoleStore;
import dev.doorman.account.UserId;
import dev.doorman.authz.RoleBinding;
import dev.doorman.authz.RoleBindingSource;
import dev.doorman.authz.Subject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The bindings the policy engine sees for a subject: a user's global roles (user_roles, the roles also put into
 * tokens) and every row of role_bindings for the user or client. Read on each decision, so a removed binding stops
 * counting at once (AZ-03).
 */
public final class DoormanBindings implements RoleBindingSource {
    private final RoleStore roles;
    private final RoleBindingStore bindings;
    private final Function<String, Optional<Instant>> clientCreatedAt;

    /**
     * @param clientCreatedAt when the client with this id was registered; empty when there is none. A deleted client
     *                        has no bindings, and one registered again under the same id does not inherit the old ones.
     */
    public DoormanBindings(RoleStore roles, RoleBindingStore bindings, Function<String, Optional<Instant>> clientCreatedAt) {
        this.roles = roles;
        this.bindings = bindings;
        this.clientCreatedAt = clientCreatedAt;
    }

    @Override
    public List<RoleBinding> bindingsFor(Subject subject) {
        // User ids are UUIDs and client ids never are (client rules), so the kind decides which ids can match:
        // a "client" named like a user, or a "user" named like a client, gets nothing.
        var user = UserId.tryParse(subject.id());
        if ((subject.kind() == Subject.Kind.USER) != user.isPresent()) return List.of();
        var out = new ArrayList<RoleBinding>();
        if (user.isPresent()) {
            roles.rolesOf(user.get()).forEach(role -> out.add(RoleBinding.global(subject.id(), role)));
            bindings.bindingsOf(subject.id()).forEach(b -> out.add(b.binding()));
        } else {
            Optional<Instant> registered = clientCreatedAt.apply(subject.id());
            if (registered.isEmpty()) return List.of();
            bindings.bindingsOf(subject.id()).stream().filter(b -> !b.createdAt().isBefore(registered.get())).forEach(b -> out.add(b.binding()));
        }
        return out;
    }
}
