package dev.doorman.examples.tasksapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

/**
 * The only way this API answers an error: RFC 9457 problem+json with a stable {@code code} for programs and a
 * {@code detail} for people. Never an internal message, a stack trace or which check of a token failed.
 */
final class Problems {
    static final String CONTENT_TYPE = "application/problem+json; charset=utf-8";
    private static final String RESPONDED = Problems.class.getName() + ".responded";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Problems() {
    }

    static void write(Context ctx, int status, String code, String detail) {
        ctx.attribute(RESPONDED, Boolean.TRUE);
        var body = JSON.createObjectNode()
                .put("type", "about:blank")
                .put("title", HttpStatus.forStatus(status).getMessage())
                .put("status", status)
                .put("detail", detail)
                .put("code", code);
        ctx.status(status).contentType(CONTENT_TYPE).result(body.toString());
    }

    /** For Javalin's own 404/405/413: fill in a body unless a handler already wrote one. */
    static void fallback(Context ctx, int status, String code, String detail) {
        if (ctx.attribute(RESPONDED) == null) write(ctx, status, code, detail);
    }

    /**
     * Rewrites a refusal by doorman-resource's guard (401, 403, 400, 503: JSON with an OAuth {@code error}) as a
     * problem, keeping its {@code WWW-Authenticate} and {@code Retry-After} headers, which carry the protocol answer.
     */
    static void fromGuard(Context ctx) {
        int status = ctx.statusCode();
        switch (status) {
            case 401 -> write(ctx, 401, "auth.unauthenticated", "A valid bearer access token for this API is required.");
            case 403 -> write(ctx, 403, "auth.insufficient_scope", "The access token lacks the scope this request needs.");
            case 400 -> write(ctx, 400, "auth.invalid_request", "Send exactly one Authorization header.");
            case 503 -> write(ctx, 503, "service.unavailable", "The token issuer cannot be reached to check the token; try again shortly.");
            default -> write(ctx, status, "request.error", HttpStatus.forStatus(status).getMessage() + ".");
        }
    }
}
