package dev.doorman.examples.tasksapi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

public record Task(TaskId id, ProjectId project, String title, String description, Optional<MemberId> assignee, TaskStatus status,
                   Instant createdAt, Instant updatedAt) {
    public Task {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(assignee, "assignee");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
