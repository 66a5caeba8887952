package dev.doorman.access;

import dev.doorman.authz.RoleBinding;

/** What became of a bind or unbind request. */
public sealed interface BindingOutcome {
    record Bound(RoleBinding binding) implements BindingOutcome { }

    record AlreadyBound(RoleBinding binding) implements BindingOutcome { }

    record Unbound(RoleBinding binding) implements BindingOutcome { }

    record NotBound(RoleBinding binding) implements BindingOutcome { }

    /** @param code stable id, e.g. {@code access.unknown_role}; nothing was written */
    record Refused(String code, String message) implements BindingOutcome { }
}
