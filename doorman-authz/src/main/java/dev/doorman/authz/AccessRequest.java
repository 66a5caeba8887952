package dev.doorman.authz;

import java.util.Map;
import java.util.Objects;

/** "May this subject do this action on this resource?", with request context (amount, ip, ...) for conditions. */
public record AccessRequest(Subject subject, Action action, Resource resource, Map<String, Object> context) {
    public AccessRequest {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
        context = Map.copyOf(context);
    }

    public static AccessRequest of(Subject subject, String action, Resource resource) {
        return new AccessRequest(subject, Action.parse(action), resource, Map.of());
    }
}
