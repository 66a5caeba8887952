package dev.doorman.examples.tasksapi;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Update;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Tasks, in the API's own table. */
final class TaskStore {
    private static final RowMapper<Task> TASK = (rs, ctx) -> new Task(new TaskId(UUID.fromString(rs.getString("id"))),
            new ProjectId(UUID.fromString(rs.getString("project_id"))), rs.getString("title"), rs.getString("description"),
            Optional.ofNullable(rs.getString("assignee")).map(a -> MemberId.parse(a).orElseThrow()),
            TaskStatus.parse(rs.getString("status")).orElseThrow(), Instant.parse(rs.getString("created_at")),
            Instant.parse(rs.getString("updated_at")));

    private final Jdbi jdbi;

    TaskStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    void save(Task task) {
        jdbi.useHandle(h -> bind(h.createUpdate("insert into tasks (id, project_id, title, description, assignee, status, created_at, updated_at) "
                + "values (:id, :project, :title, :description, :assignee, :status, :createdAt, :updatedAt)"), task).execute());
    }

    /** Writes the task's changeable fields. */
    void update(Task task) {
        jdbi.useHandle(h -> bind(h.createUpdate("update tasks set title = :title, description = :description, assignee = :assignee, "
                + "status = :status, updated_at = :updatedAt where id = :id and project_id = :project"), task).execute());
    }

    Optional<Task> find(TaskId id) {
        return jdbi.withHandle(h -> h.createQuery("select * from tasks where id = :id").bind("id", id.toString()).map(TASK).findOne());
    }

    List<Task> ofProject(ProjectId project) {
        return jdbi.withHandle(h -> h.createQuery("select * from tasks where project_id = :project order by created_at, id")
                .bind("project", project.toString()).map(TASK).list());
    }

    boolean remove(TaskId id) {
        return jdbi.withHandle(h -> h.createUpdate("delete from tasks where id = :id").bind("id", id.toString()).execute()) > 0;
    }

    private static Update bind(Update update, Task task) {
        return update.bind("id", task.id().toString()).bind("project", task.project().toString()).bind("title", task.title())
                .bind("description", task.description()).bind("assignee", task.assignee().map(MemberId::toString).orElse(null))
                .bind("status", task.status().wire()).bind("createdAt", Times.format(task.createdAt()))
                .bind("updatedAt", Times.format(task.updatedAt()));
    }
}
