package dev.doorman.resource;

import dev.doorman.authz.Subject;

/**
 * "May this subject do this action on this resource?" — the hook through which route handlers reach the policy
 * engine (doorman-authz) once it is wired: {@code guard.authorize(ctx, "task:update", task)}. The default denies
 * everything: an app that authorizes per resource must say how.
 */
@FunctionalInterface
public interface AccessDecider {
    AccessDecider DENY_ALL = (subject, action, resource) -> false;

    /**
     * @param action   a verb per resource type, such as {@code task:update}
     * @param resource the resource as the application knows it (the engine's resource shape, or the app's own object)
     */
    boolean permits(Subject subject, String action, Object resource);
}
