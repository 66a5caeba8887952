package dev.doorman.examples.tasksapi;

import java.time.Instant;
import java.util.Objects;

public record Project(ProjectId id, String name, MemberId createdBy, Instant createdAt) {
    public Project {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
