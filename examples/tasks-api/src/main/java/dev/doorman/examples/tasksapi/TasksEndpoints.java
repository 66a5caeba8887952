package dev.doorman.examples.tasksapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.doorman.examples.tasksapi.Access.Caller;
import dev.doorman.examples.tasksapi.TasksService.NewTask;
import dev.doorman.examples.tasksapi.TasksService.ProjectView;
import dev.doorman.examples.tasksapi.TasksService.TaskChanges;
import dev.doorman.resource.javalin.ResourceGuard;
import io.javalin.http.Context;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The HTTP edge: parse (path ids, strict JSON), hand to {@link TasksService}, write JSON or a problem. The caller was
 * authenticated, and the token's scope checked, by doorman-resource's guard before any of these run.
 */
final class TasksEndpoints {
    static final int MAX_NAME = 100;
    static final int MAX_TITLE = 200;
    static final int MAX_DESCRIPTION = 4000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TasksService service;
    private final Access access;

    TasksEndpoints(TasksService service, Access access) {
        this.service = service;
        this.access = access;
    }

    /** Who the API takes the caller for: the id to give a manager, and whether the token makes them admin here. */
    void me(Context ctx) {
        Caller caller = caller(ctx);
        ArrayNode scopes = JSON.createArrayNode();
        caller.subject().scopes().stream().sorted().forEach(scopes::add);
        ok(ctx, 200, JSON.createObjectNode().put("member", caller.member().toString()).put("admin", caller.isAdmin()).set("scopes", scopes));
    }

    void listProjects(Context ctx) {
        ArrayNode list = JSON.createArrayNode();
        service.projects(caller(ctx)).forEach(p -> list.add(project(p)));
        ok(ctx, 200, JSON.createObjectNode().set("projects", list));
    }

    void createProject(Context ctx) {
        String name;
        try {
            name = body(ctx, Set.of("name")).text("name", MAX_NAME);
        } catch (JsonInput.Invalid e) {
            invalid(ctx, e);
            return;
        }
        respond(ctx, service.createProject(caller(ctx), name), TasksEndpoints::project, p -> "/api/projects/" + p.project().id());
    }

    void getProject(Context ctx) {
        withProject(ctx, id -> respond(ctx, service.project(caller(ctx), id), TasksEndpoints::project, null));
    }

    void listMembers(Context ctx) {
        withProject(ctx, id -> respond(ctx, service.members(caller(ctx), id), members -> {
            ArrayNode list = JSON.createArrayNode();
            members.forEach(m -> list.add(membership(m)));
            return JSON.createObjectNode().set("members", list);
        }, null));
    }

    /** PUT /api/projects/{project}/members/{member} {"role": "worker"|"manager"}: adds the member or changes their role. */
    void putMember(Context ctx) {
        withProject(ctx, id -> {
            Optional<MemberId> member = member(ctx);
            if (member.isEmpty()) return;
            ProjectRole role;
            try {
                String text = body(ctx, Set.of("role")).text("role", 16);
                role = ProjectRole.parse(text).orElseThrow(() -> new JsonInput.Invalid("'role' is 'worker' or 'manager'."));
            } catch (JsonInput.Invalid e) {
                invalid(ctx, e);
                return;
            }
            respond(ctx, service.putMember(caller(ctx), id, member.get(), role), TasksEndpoints::membership,
                    m -> "/api/projects/" + id + "/members/" + m.member());
        });
    }

    void removeMember(Context ctx) {
        withProject(ctx, id -> member(ctx).ifPresent(member -> respond(ctx, service.removeMember(caller(ctx), id, member), null, null)));
    }

    void listTasks(Context ctx) {
        withProject(ctx, id -> respond(ctx, service.tasks(caller(ctx), id), tasks -> {
            ArrayNode list = JSON.createArrayNode();
            tasks.forEach(t -> list.add(task(t)));
            return JSON.createObjectNode().set("tasks", list);
        }, null));
    }

    /** POST /api/projects/{project}/tasks {"title", "description"?, "assignee"?}. */
    void createTask(Context ctx) {
        withProject(ctx, id -> {
            NewTask request;
            try {
                JsonInput in = body(ctx, Set.of("title", "description", "assignee"));
                request = new NewTask(in.text("title", MAX_TITLE), in.optionalText("description", MAX_DESCRIPTION, true).orElse(""),
                        in.has("assignee") && !in.isNull("assignee") ? assignee(in) : Optional.empty());
            } catch (JsonInput.Invalid e) {
                invalid(ctx, e);
                return;
            }
            respond(ctx, service.createTask(caller(ctx), id, request), TasksEndpoints::task, t -> "/api/tasks/" + t.id());
        });
    }

    void getTask(Context ctx) {
        withTask(ctx, id -> respond(ctx, service.task(caller(ctx), id), TasksEndpoints::task, null));
    }

    /** PATCH /api/tasks/{task} with any of "title", "description", "assignee" (null unassigns), "status". */
    void changeTask(Context ctx) {
        withTask(ctx, id -> {
            TaskChanges changes;
            try {
                JsonInput in = body(ctx, Set.of("title", "description", "assignee", "status"));
                if (in.isEmpty()) throw new JsonInput.Invalid("Name at least one of title, description, assignee, status.");
                Optional<Optional<MemberId>> assignee = !in.has("assignee") ? Optional.empty()
                        : in.isNull("assignee") ? Optional.of(Optional.empty()) : Optional.of(assignee(in));
                Optional<TaskStatus> status = Optional.empty();
                Optional<String> statusText = in.optionalText("status", 16, false);
                if (statusText.isPresent()) {
                    status = Optional.of(TaskStatus.parse(statusText.get())
                            .orElseThrow(() -> new JsonInput.Invalid("'status' is one of todo, doing, done.")));
                }
                changes = new TaskChanges(in.optionalText("title", MAX_TITLE, false), in.optionalText("description", MAX_DESCRIPTION, true),
                        assignee, status);
            } catch (JsonInput.Invalid e) {
                invalid(ctx, e);
                return;
            }
            respond(ctx, service.changeTask(caller(ctx), id, changes), TasksEndpoints::task, null);
        });
    }

    void deleteTask(Context ctx) {
        withTask(ctx, id -> respond(ctx, service.deleteTask(caller(ctx), id), null, null));
    }

    // --- parsing

    private Caller caller(Context ctx) {
        return access.caller(ResourceGuard.subject(ctx));
    }

    /** A strict JSON body: only with Content-Type application/json (UTF-8). */
    private static JsonInput body(Context ctx, Set<String> allowed) throws JsonInput.Invalid {
        String type = ctx.header("Content-Type");
        if (!isJson(type)) throw new UnsupportedType();
        return JsonInput.parse(ctx.bodyAsBytes(), allowed);
    }

    static boolean isJson(String contentType) {
        if (contentType == null) return false;
        String[] parts = contentType.toLowerCase(Locale.ROOT).split(";");
        if (!parts[0].strip().equals("application/json")) return false;
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].strip().replace("\"", "");
            if (param.startsWith("charset=") && !param.equals("charset=utf-8")) return false;
        }
        return true;
    }

    private static Optional<MemberId> assignee(JsonInput in) throws JsonInput.Invalid {
        String text = in.text("assignee", 210);
        return Optional.of(MemberId.parse(text).orElseThrow(() -> new JsonInput.Invalid("'assignee' is user:<sub> or client:<client_id>, or null.")));
    }

    private static Optional<MemberId> member(Context ctx) {
        Optional<MemberId> member = MemberId.parse(ctx.pathParam("member"));
        if (member.isEmpty()) Problems.write(ctx, 400, "request.invalid", "A member is written user:<sub> or client:<client_id>.");
        return member;
    }

    private static void withProject(Context ctx, Consumer<ProjectId> then) {
        ProjectId.parse(ctx.pathParam("project")).ifPresentOrElse(then,
                () -> Problems.write(ctx, 404, "project.not_found", "There is no such project."));
    }

    private static void withTask(Context ctx, Consumer<TaskId> then) {
        TaskId.parse(ctx.pathParam("task")).ifPresentOrElse(then, () -> Problems.write(ctx, 404, "task.not_found", "There is no such task."));
    }

    // --- writing

    private static <T> void respond(Context ctx, Outcome<T> outcome, Function<T, ObjectNode> view, Function<T, String> location) {
        switch (outcome) {
            case Outcome.Done<T> d -> {
                if (view == null) ctx.status(204);
                else ok(ctx, 200, view.apply(d.value()));
            }
            case Outcome.Created<T> c -> {
                if (location != null) ctx.header("Location", location.apply(c.value()));
                ok(ctx, 201, view.apply(c.value()));
            }
            case Outcome.NotFound<T> n -> Problems.write(ctx, 404, n.what() + ".not_found", "There is no such " + n.what() + ".");
            case Outcome.Forbidden<T> f -> {
                ctx.header("WWW-Authenticate", "Bearer error=\"insufficient_scope\"");
                Problems.write(ctx, 403, "access.denied", "You may not do this here (" + f.action() + ").");
            }
            case Outcome.Unprocessable<T> u -> Problems.write(ctx, 422, u.code(), u.detail());
        }
    }

    private static void invalid(Context ctx, JsonInput.Invalid e) {
        Problems.write(ctx, 400, "request.invalid", e.getMessage());
    }

    private static void ok(Context ctx, int status, ObjectNode body) {
        ctx.status(status).contentType("application/json; charset=utf-8").result(body.toString());
    }

    static ObjectNode project(ProjectView view) {
        Project p = view.project();
        ObjectNode node = JSON.createObjectNode().put("id", p.id().toString()).put("name", p.name())
                .put("createdBy", p.createdBy().toString()).put("createdAt", Times.format(p.createdAt()));
        view.yourRole().ifPresentOrElse(r -> node.put("yourRole", r.policyName()), () -> node.putNull("yourRole"));
        return node;
    }

    static ObjectNode membership(Membership m) {
        return JSON.createObjectNode().put("project", m.project().toString()).put("member", m.member().toString())
                .put("role", m.role().policyName()).put("addedBy", m.addedBy().toString()).put("addedAt", Times.format(m.addedAt()));
    }

    static ObjectNode task(Task t) {
        ObjectNode node = JSON.createObjectNode().put("id", t.id().toString()).put("project", t.project().toString())
                .put("title", t.title()).put("description", t.description());
        t.assignee().ifPresentOrElse(a -> node.put("assignee", a.toString()), () -> node.putNull("assignee"));
        return node.put("status", t.status().wire()).put("createdAt", Times.format(t.createdAt())).put("updatedAt", Times.format(t.updatedAt()));
    }

    /** The body's media type is not JSON: 415, before anything else is looked at. */
    static final class UnsupportedType extends RuntimeException {
        UnsupportedType() {
            super("unsupported media type", null, false, false);
        }
    }
}
