package dev.doorman.examples.tasksapi;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** A task's id: a random UUID, never a counter. */
public record TaskId(UUID value) {
    public TaskId {
        Objects.requireNonNull(value, "value");
    }

    /** From a path segment; empty when it cannot be an id (which then is simply not found). */
    public static Optional<TaskId> parse(String text) {
        return Ids.uuid(text).map(TaskId::new);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
