package dev.doorman.examples.tasksapi;

import dev.doorman.authz.Policy;
import dev.doorman.authz.PolicyException;
import dev.doorman.resource.JwtAccessTokenVerifier;
import dev.doorman.resource.TokenVerifier;
import dev.doorman.resource.javalin.ResourceGuard;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import org.jdbi.v3.core.ConnectionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.Set;
import java.util.UUID;

/**
 * A task manager API that trusts access tokens from a Doorman OpenID Connect provider: projects, their members
 * (workers and managers) and their tasks. doorman-resource checks the bearer token and its scope before any handler
 * runs (tasks:read to read, tasks:write to change); the policy engine decides every action before it is done.
 * It shares no code or database with Doorman. Run it with {@code bin/example tasks-api} (see the README).
 */
public final class TasksApi {
    private static final Logger LOG = LoggerFactory.getLogger(TasksApi.class);
    public static final String READ_SCOPE = "tasks:read";
    public static final String WRITE_SCOPE = "tasks:write";
    private static final Set<HandlerType> READS = Set.of(HandlerType.GET, HandlerType.HEAD);

    private TasksApi() {
    }

    /** A running API and what it holds open. */
    public record Running(Javalin app, TokenVerifier verifier) implements AutoCloseable {
        public int port() {
            return app.port();
        }

        @Override
        public void close() {
            app.stop();
            verifier.close();
        }
    }

    /** Loads the policy, opens the database, reads Doorman's keys and revocation list, then serves. */
    public static Running start(TasksSettings settings, Clock clock) throws IOException, PolicyException {
        Policy policy = Access.loadPolicy(settings.policyFile(), clock);
        var jdbi = TasksDatabase.open(settings.database());
        var projects = new ProjectStore(jdbi);
        var access = new Access(policy, projects, settings.adminRole(), clock);
        var endpoints = new TasksEndpoints(new TasksService(projects, new TaskStore(jdbi), clock, UUID::randomUUID), access);
        var verifier = JwtAccessTokenVerifier.builder(settings.issuer(), settings.audience())
                .advanced(a -> a.clock(clock).revocationFeed(revocationFeed(settings.issuer()), settings.revocationPoll(),
                        settings.revocationPoll().multipliedBy(4)))
                .build();
        try {
            return new Running(server(ResourceGuard.of(verifier), endpoints).start(settings.host(), settings.port()), verifier);
        } catch (RuntimeException e) {
            verifier.close();
            throw e;
        }
    }

    /** The whole HTTP surface. The guard runs before every /api route; the scope depends only on the method. */
    static Javalin server(ResourceGuard guard, TasksEndpoints api) {
        Handler readScope = guard.requireScope(READ_SCOPE);
        Handler writeScope = guard.requireScope(WRITE_SCOPE);
        return Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.http.maxRequestSize = JsonInput.MAX_BODY_BYTES;
            config.http.prefer405over404 = true;
            config.routes.before(TasksApi::headers);
            config.routes.before("/api/*", ctx -> {
                (READS.contains(ctx.method()) ? readScope : writeScope).handle(ctx);
                if (ResourceGuard.findSubject(ctx).isEmpty() || ctx.statusCode() >= 400) Problems.fromGuard(ctx);
            });

            config.routes.get("/api/me", api::me);
            config.routes.get("/api/projects", api::listProjects);
            config.routes.post("/api/projects", api::createProject);
            config.routes.get("/api/projects/{project}", api::getProject);
            config.routes.get("/api/projects/{project}/members", api::listMembers);
            config.routes.put("/api/projects/{project}/members/{member}", api::putMember);
            config.routes.delete("/api/projects/{project}/members/{member}", api::removeMember);
            config.routes.get("/api/projects/{project}/tasks", api::listTasks);
            config.routes.post("/api/projects/{project}/tasks", api::createTask);
            config.routes.get("/api/tasks/{task}", api::getTask);
            config.routes.patch("/api/tasks/{task}", api::changeTask);
            config.routes.delete("/api/tasks/{task}", api::deleteTask);

            config.routes.exception(TasksEndpoints.UnsupportedType.class, (e, ctx) ->
                    Problems.write(ctx, 415, "request.unsupported_media_type", "Send the body as Content-Type: application/json."));
            config.routes.exception(Exception.class, TasksApi::unexpected);
            config.routes.error(404, "*", ctx -> Problems.fallback(ctx, 404, "request.not_found", "There is nothing here."));
            config.routes.error(405, "*", ctx -> Problems.fallback(ctx, 405, "request.method_not_allowed", "This method is not allowed here."));
            config.routes.error(413, "*", ctx -> Problems.fallback(ctx, 413, "request.too_large",
                    "The body is larger than " + JsonInput.MAX_BODY_BYTES + " bytes."));
        });
    }

    private static void headers(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
        ctx.header("Referrer-Policy", "no-referrer");
    }

    /** A database that cannot be reached is a 503; anything else unexpected a 500 with an incident id, and no internals. */
    private static void unexpected(Exception e, Context ctx) {
        if (e instanceof ConnectionException) {
            LOG.warn("database unavailable on {} {}", ctx.method(), ctx.path());
            ctx.header("Retry-After", "5");
            Problems.write(ctx, 503, "service.unavailable", "The service is temporarily unavailable; try again shortly.");
            return;
        }
        String incident = UUID.randomUUID().toString().substring(0, 8);
        LOG.error("unexpected error {} on {} {}", incident, ctx.method(), ctx.path(), e);
        Problems.write(ctx, 500, "server.error", "Something went wrong on our side (incident " + incident + ").");
    }

    private static URI revocationFeed(URI issuer) {
        String base = issuer.toString().endsWith("/") ? issuer.toString().substring(0, issuer.toString().length() - 1) : issuer.toString();
        return URI.create(base + "/oauth2/revoked");
    }

    public static void main(String[] args) {
        TasksSettings settings;
        try {
            settings = TasksSettings.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        try {
            var running = start(settings, Clock.systemUTC());
            Runtime.getRuntime().addShutdownHook(new Thread(running::close));
        } catch (PolicyException | IllegalStateException e) {
            System.err.println("The policy is not usable: " + e.getMessage());
            System.exit(2);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("Cannot start: " + e.getMessage());
            System.exit(2);
            return;
        } catch (IOException e) {
            System.err.println("Cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println("Tasks API on http://" + settings.host() + ":" + settings.port() + " — trusting tokens from " + settings.issuer()
                + " for the audience '" + settings.audience() + "'");
    }
}
