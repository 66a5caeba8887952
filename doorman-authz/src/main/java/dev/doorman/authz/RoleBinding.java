package dev.doorman.authz;

import java.util.Objects;
import java.util.Optional;

/**
 * Gives a subject a role, everywhere ({@code scope} empty) or on one resource and its children
 * ("manager of project/42").
 */
public record RoleBinding(String subjectId, String role, Optional<ResourceRef> scope) {
    public RoleBinding {
        Objects.requireNonNull(subjectId, "subjectId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(scope, "scope");
    }

    public static RoleBinding global(String subjectId, String role) {
        return new RoleBinding(subjectId, role, Optional.empty());
    }

    public static RoleBinding on(String subjectId, String role, ResourceRef scope) {
        return new RoleBinding(subjectId, role, Optional.of(scope));
    }

    /** Whether this binding counts for a request on {@code resource}. */
    boolean appliesTo(Resource resource) {
        return scope.isEmpty() || scope.get().equals(resource.ref()) || resource.parent().equals(scope);
    }

    String describe() {
        return scope.map(s -> "role " + role + " bound on " + s).orElse("role " + role + " bound globally");
    }
}
