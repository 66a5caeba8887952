package dev.doorman.examples.tasksapi;

import java.util.Locale;
import java.util.Optional;

/** A role on one project, as the membership table holds it; the names are the policy file's role names. */
public enum ProjectRole {
    WORKER, MANAGER;

    public String policyName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ProjectRole> parse(String text) {
        for (ProjectRole role : values()) if (role.policyName().equals(text)) return Optional.of(role);
        return Optional.empty();
    }
}
