package dev.doorman.examples.tasksapi;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** A project's id: a random UUID, so ids tell nothing about how many projects exist or which are whose. */
public record ProjectId(UUID value) {
    public ProjectId {
        Objects.requireNonNull(value, "value");
    }

    /** From a path segment; empty when it cannot be an id (which then is simply not found). */
    public static Optional<ProjectId> parse(String text) {
        return Ids.uuid(text).map(ProjectId::new);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
