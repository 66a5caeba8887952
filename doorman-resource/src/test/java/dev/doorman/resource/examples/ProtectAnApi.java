package dev.doorman.resource.examples;

import dev.doorman.resource.JwtAccessTokenVerifier;
import dev.doorman.resource.javalin.ResourceGuard;
import io.javalin.Javalin;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The README's "Protect an API with doorman-resource" example, compiled and tested (ProtectAnApiTest): a tasks API
 * that trusts a Doorman server's access tokens. Run a Doorman on :8080, then this, then call it with a token whose
 * audience is {@code tasks-api}: {@code curl -H "Authorization: Bearer $TOKEN" localhost:7071/tasks/t1}.
 */
public final class ProtectAnApi {
    record Task(String id, String owner, String title) { }

    public static Javalin start(URI doorman, int port) {
        var verifier = JwtAccessTokenVerifier.builder(doorman, "tasks-api").build();  // keys and revocations from Doorman
        var tasks = new ConcurrentHashMap<>(Map.of("t1", new Task("t1", "alice", "Write the report")));
        var guard = ResourceGuard.of(verifier, Optional.empty(),           // who may update which task, until a policy file says so
                (subject, action, task) -> action.equals("task:update") && ((Task) task).owner().equals(subject.id()));

        return Javalin.create(config -> {
            config.routes.before("/tasks/*", guard.requireScope("tasks:read"));   // 401/403 before any handler runs
            config.routes.before("/admin/*", guard.requireRole("admin"));
            config.routes.get("/tasks/{id}", ctx -> ctx.result(tasks.get(ctx.pathParam("id")).title()));
            config.routes.put("/tasks/{id}", ctx -> {
                Task task = tasks.get(ctx.pathParam("id"));
                guard.authorize(ctx, "task:update", task);                       // 403 unless the decider says yes
                tasks.put(task.id(), new Task(task.id(), task.owner(), ctx.body()));
                ctx.status(204);
            });
            config.routes.get("/admin/whoami", ctx -> ctx.result(ResourceGuard.subject(ctx).id()));
            config.events.serverStopped(verifier::close);
        }).start("127.0.0.1", port);
    }

    public static void main(String[] args) {
        start(URI.create("http://localhost:8080"), 7071);
    }
}
