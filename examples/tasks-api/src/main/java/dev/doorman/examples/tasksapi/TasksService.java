package dev.doorman.examples.tasksapi;

import dev.doorman.examples.tasksapi.Access.Caller;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The tasks API's logic, free of HTTP. Every operation first checks that the caller may see what it names (or answers
 * not found), then asks the policy for each action the request implies, and only then writes.
 */
final class TasksService {
    /** What a new task is made of; {@code assignee} empty means unassigned. */
    record NewTask(String title, String description, Optional<MemberId> assignee) { }

    /**
     * A partial change: each present field is one action for the policy (title and description: {@code task:update};
     * assignee: {@code task:assign}, where an empty inner value unassigns; status: {@code task:update-status}).
     */
    record TaskChanges(Optional<String> title, Optional<String> description, Optional<Optional<MemberId>> assignee,
                       Optional<TaskStatus> status) {
        Set<String> actions() {
            var actions = new LinkedHashSet<String>();
            if (title.isPresent() || description.isPresent()) actions.add("task:update");
            if (assignee.isPresent()) actions.add("task:assign");
            if (status.isPresent()) actions.add("task:update-status");
            return actions;
        }
    }

    /** A project as one caller sees it: with the caller's own role there, if any. */
    record ProjectView(Project project, Optional<ProjectRole> yourRole) { }

    private final ProjectStore projects;
    private final TaskStore tasks;
    private final Clock clock;
    private final Supplier<UUID> ids;

    TasksService(ProjectStore projects, TaskStore tasks, Clock clock, Supplier<UUID> ids) {
        this.projects = projects;
        this.tasks = tasks;
        this.clock = clock;
        this.ids = ids;
    }

    List<ProjectView> projects(Caller caller) {
        List<Project> candidates = caller.isAdmin() ? projects.all() : projects.ofMember(caller.member());
        return candidates.stream().filter(p -> caller.may("project:read", Access.project(p.id())))
                .map(p -> view(caller, p)).toList();
    }

    Outcome<ProjectView> createProject(Caller caller, String name) {
        var id = new ProjectId(ids.get());
        if (!caller.may("project:create", Access.project(id))) return new Outcome.Forbidden<>("project:create");
        var project = new Project(id, name, caller.member(), now());
        projects.save(project);
        return new Outcome.Created<>(new ProjectView(project, Optional.empty()));
    }

    Outcome<ProjectView> project(Caller caller, ProjectId id) {
        return visible(caller, id).<Outcome<ProjectView>>map(p -> new Outcome.Done<>(view(caller, p)))
                .orElseGet(() -> new Outcome.NotFound<>("project"));
    }

    Outcome<List<Membership>> members(Caller caller, ProjectId id) {
        if (visible(caller, id).isEmpty()) return new Outcome.NotFound<>("project");
        if (!caller.may("membership:read", Access.membership(id, caller.member()))) return new Outcome.Forbidden<>("membership:read");
        return new Outcome.Done<>(projects.members(id));
    }

    /** Adds {@code member} to the project with {@code role}, or changes their role there. */
    Outcome<Membership> putMember(Caller caller, ProjectId id, MemberId member, ProjectRole role) {
        if (visible(caller, id).isEmpty()) return new Outcome.NotFound<>("project");
        if (!caller.may("membership:update", Access.membership(id, member))) return new Outcome.Forbidden<>("membership:update");
        var existing = projects.membership(id, member);
        var membership = existing.map(m -> new Membership(id, member, role, m.addedBy(), m.addedAt()))
                .orElseGet(() -> new Membership(id, member, role, caller.member(), now()));
        boolean created = projects.put(membership);
        return created ? new Outcome.Created<>(membership) : new Outcome.Done<>(membership);
    }

    Outcome<Void> removeMember(Caller caller, ProjectId id, MemberId member) {
        if (visible(caller, id).isEmpty()) return new Outcome.NotFound<>("project");
        if (!caller.may("membership:delete", Access.membership(id, member))) return new Outcome.Forbidden<>("membership:delete");
        return projects.remove(id, member) ? new Outcome.Done<>(null) : new Outcome.NotFound<>("membership");
    }

    Outcome<List<Task>> tasks(Caller caller, ProjectId id) {
        if (visible(caller, id).isEmpty()) return new Outcome.NotFound<>("project");
        return new Outcome.Done<>(tasks.ofProject(id).stream().filter(t -> caller.may("task:read", Access.task(t))).toList());
    }

    Outcome<Task> createTask(Caller caller, ProjectId id, NewTask request) {
        if (visible(caller, id).isEmpty()) return new Outcome.NotFound<>("project");
        Instant now = now();
        var task = new Task(new TaskId(ids.get()), id, request.title(), request.description(), request.assignee(), TaskStatus.TODO, now, now);
        if (!caller.may("task:create", Access.task(task))) return new Outcome.Forbidden<>("task:create");
        if (request.assignee().isPresent()) {
            if (!caller.may("task:assign", Access.task(task))) return new Outcome.Forbidden<>("task:assign");
            if (projects.membership(id, request.assignee().get()).isEmpty()) return notAMember();
        }
        tasks.save(task);
        return new Outcome.Created<>(task);
    }

    Outcome<Task> task(Caller caller, TaskId id) {
        return visibleTask(caller, id).<Outcome<Task>>map(Outcome.Done::new).orElseGet(() -> new Outcome.NotFound<>("task"));
    }

    Outcome<Task> changeTask(Caller caller, TaskId id, TaskChanges changes) {
        Optional<Task> found = visibleTask(caller, id);
        if (found.isEmpty()) return new Outcome.NotFound<>("task");
        Task task = found.get();
        // Every action the change implies is decided against the task as it is now, before anything is written.
        for (String action : changes.actions()) {
            if (!caller.may(action, Access.task(task))) return new Outcome.Forbidden<>(action);
        }
        Optional<MemberId> assignee = changes.assignee().orElse(task.assignee());
        if (changes.assignee().flatMap(a -> a).isPresent() && projects.membership(task.project(), assignee.get()).isEmpty()) {
            return notAMember();
        }
        var changed = new Task(task.id(), task.project(), changes.title().orElse(task.title()), changes.description().orElse(task.description()),
                assignee, changes.status().orElse(task.status()), task.createdAt(), now());
        tasks.update(changed);
        return new Outcome.Done<>(changed);
    }

    Outcome<Void> deleteTask(Caller caller, TaskId id) {
        Optional<Task> found = visibleTask(caller, id);
        if (found.isEmpty()) return new Outcome.NotFound<>("task");
        if (!caller.may("task:delete", Access.task(found.get()))) return new Outcome.Forbidden<>("task:delete");
        tasks.remove(id);
        return new Outcome.Done<>(null);
    }

    private Optional<Project> visible(Caller caller, ProjectId id) {
        return projects.find(id).filter(p -> caller.may("project:read", Access.project(p.id())));
    }

    private Optional<Task> visibleTask(Caller caller, TaskId id) {
        return tasks.find(id).filter(t -> caller.may("task:read", Access.task(t)));
    }

    private ProjectView view(Caller caller, Project project) {
        return new ProjectView(project, projects.membership(project.id(), caller.member()).map(Membership::role));
    }

    private static <T> Outcome<T> notAMember() {
        return new Outcome.Unprocessable<>("task.assignee_not_a_member", "The assignee must be a member of the task's project.");
    }

    private Instant now() {
        return clock.instant();
    }
}
