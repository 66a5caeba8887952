package dev.doorman.examples.tasksapi;

import java.time.Instant;
import java.util.Objects;

/** "{@code member} is a {@code role} on {@code project}": the API's own per-project role binding. */
public record Membership(ProjectId project, MemberId member, ProjectRole role, MemberId addedBy, Instant addedAt) {
    public Membership {
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(addedBy, "addedBy");
        Objects.requireNonNull(addedAt, "addedAt");
    }
}
