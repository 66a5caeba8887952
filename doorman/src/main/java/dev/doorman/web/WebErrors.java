package dev.doorman.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Optional;
import java.util.function.Function;

/**
 * The only place errors become HTTP. The JSON API answers RFC 9457 problem+json; pages answer an HTML error page.
 * Nothing internal ever reaches the client: an unexpected exception is logged with an id and answered with that id.
 * A database that cannot be reached is a 503, never a 500.
 */
public final class WebErrors {
    private static final Logger LOG = LoggerFactory.getLogger(WebErrors.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String RESPONDED = "doorman.error-written";
    /** How much more of a refused body is read before the 413, so that the client gets the answer (bounded, so that no client can keep the server reading). */
    private static final long DRAIN_LIMIT = 1024 * 1024;

    private final Views views;
    private final Function<Context, Pages.Nav> nav;

    public WebErrors(Views views, Function<Context, Pages.Nav> nav) {
        this.views = views;
        this.nav = nav;
    }

    public void install(JavalinConfig config) {
        config.routes.exception(ProblemException.class, (e, ctx) -> respond(ctx, e.status(), e.code(), e.detail(), e.extensions()));
        config.routes.exception(dev.doorman.guard.RateLimited.class, (e, ctx) -> {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
            respond(ctx, 429, "rate_limited." + e.limit().wireName(),
                    "Too many requests. Please try again in " + e.retryAfterSeconds() + " seconds.");
        });
        config.routes.exception(dev.doorman.account.PasswordHasher.Overloaded.class, (e, ctx) -> {
            ctx.header("Retry-After", Long.toString(dev.doorman.account.PasswordHasher.QUEUE_CLOSED_FOR.toSeconds()));
            respond(ctx, 503, "service.overloaded", "We are very busy right now. Please try again in a moment.");
        });
        config.routes.exception(HttpResponseException.class, (e, ctx) -> respond(ctx, e.getStatus(), codeFor(e.getStatus()), safeMessage(e)));
        config.routes.exception(Exception.class, this::unexpected);
        config.router.javaLangErrorHandler((response, error) -> {
            LOG.error("fatal error while handling a request", error);
            response.setStatus(500);
            response.setContentType("application/problem+json; charset=utf-8");
            try {
                response.getWriter().write(JSON.createObjectNode().put("type", "about:blank").put("title", "Server Error")
                        .put("status", 500).put("detail", "Something went wrong on our side.").put("code", "server.error").toString());
            } catch (java.io.IOException ignored) {
                // the client is gone
            }
        });
        // Error handlers fill in bodies for statuses Javalin set itself; an answer we already wrote stays as it is.
        config.routes.error(404, "*", ctx -> fallback(ctx, 404, "request.not_found", "There is nothing at " + printablePath(ctx) + "."));
        config.routes.error(405, "*", ctx -> fallback(ctx, 405, "request.method_not_allowed", "This method is not allowed here."));
        config.routes.error(413, "*", ctx -> {
            closeAfterRefusedBody(ctx);
            fallback(ctx, 413, "request.too_large", "The request body is too large.");
        });
    }

    /**
     * A body refused part-way was not read to its end, and the client is often still sending it. Answering and closing
     * at once would make the kernel reset the connection, and the client would lose the 413 (RFC 9112 §9.6). So the
     * rest is read and thrown away, up to {@link #DRAIN_LIMIT}, and the answer says {@code Connection: close}: what
     * is left of that body must not be taken for the next request.
     */
    private static void closeAfterRefusedBody(Context ctx) {
        ctx.header("Connection", "close");
        try {
            var in = ctx.req().getInputStream();
            byte[] discard = new byte[8192];
            for (long read = 0, n; read < DRAIN_LIMIT && (n = in.read(discard)) >= 0; ) read += n;
        } catch (java.io.IOException | IllegalStateException gone) {
            // The client stopped sending or the body was already taken as a reader: nothing more to drain.
        }
    }

    private void fallback(Context ctx, int status, String code, String detail) {
        if (ctx.attribute(RESPONDED) == null) respond(ctx, status, code, detail);
    }

    public void respond(Context ctx, int status, String code, String detail) {
        respond(ctx, status, code, detail, java.util.Map.of());
    }

    private void respond(Context ctx, int status, String code, String detail, java.util.Map<String, Object> extensions) {
        ctx.attribute(RESPONDED, Boolean.TRUE);
        if (wantsJson(ctx)) {
            ObjectNode body = JSON.createObjectNode()
                    .put("type", "about:blank")
                    .put("title", HttpStatus.forStatus(status).getMessage())
                    .put("status", status)
                    .put("detail", detail)
                    .put("code", code);
            extensions.forEach((k, v) -> body.set(k, JSON.valueToTree(v)));
            ctx.status(status).contentType("application/problem+json; charset=utf-8").result(body.toString());
        } else {
            var page = new Pages.Message(nav.apply(ctx), HttpStatus.forStatus(status).getMessage(), detail,
                    Optional.of(new Pages.Link("/", "Go to the start page")));
            views.render(ctx, status, "message.jte", page);
        }
    }

    private void unexpected(Exception e, Context ctx) {
        if (isDatabaseDown(e)) {
            LOG.warn("database unavailable on {} {}: {}", ctx.method(), ctx.path(), rootMessage(e));
            ctx.header("Retry-After", "5");
            respond(ctx, 503, "service.unavailable", "The service is temporarily unavailable. Please try again shortly.");
            return;
        }
        String incident = java.util.UUID.randomUUID().toString().substring(0, 8);
        LOG.error("unexpected error {} on {} {}", incident, ctx.method(), ctx.path(), e);
        respond(ctx, 500, "server.error", "Something went wrong on our side (incident " + incident + ").");
    }

    /** A pool that cannot hand out a connection, or a connection-class SQL state (08xxx), means the database is down. */
    static boolean isDatabaseDown(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof dev.doorman.support.ServiceUnavailable) return true;
            if (t instanceof SQLTransientException) return true;
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) return true;
            if (t instanceof org.jdbi.v3.core.ConnectionException) return true;
            if (t.getCause() == t) break;
        }
        return false;
    }

    private static boolean wantsJson(Context ctx) {
        if (ctx.path().startsWith(ApiPaths.PREFIX) || ctx.path().startsWith("/health/")) return true;
        if (ctx.path().startsWith(dev.doorman.access.AccessPaths.PREFIX)) return true;
        String accept = ctx.header("Accept");
        return accept != null && accept.contains("json") && !accept.contains("text/html");
    }

    private static String codeFor(int status) {
        return switch (status) {
            case 400 -> "request.bad_request";
            case 401 -> "auth.unauthenticated";
            case 403 -> "auth.forbidden";
            case 404 -> "request.not_found";
            case 405 -> "request.method_not_allowed";
            case 413 -> "request.too_large";
            case 415 -> "request.unsupported_media_type";
            default -> "request.error";
        };
    }

    /** Javalin's own messages are generic; anything else is replaced. */
    private static String safeMessage(HttpResponseException e) {
        return HttpStatus.forStatus(e.getStatus()).getMessage() + ".";
    }

    private static String printablePath(Context ctx) {
        String path = ctx.path();
        if (path.length() > 100) path = path.substring(0, 100) + "…";
        return path.replaceAll("[^\\x20-\\x7E]", "?");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getClass().getSimpleName();
    }
}
