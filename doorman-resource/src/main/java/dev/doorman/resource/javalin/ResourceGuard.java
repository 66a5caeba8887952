package dev.doorman.resource.javalin;

import dev.doorman.authz.Subject;
import dev.doorman.resource.AccessDecider;
import dev.doorman.resource.BearerAuthenticator;
import dev.doorman.resource.Challenges;
import dev.doorman.resource.TokenVerifier;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Bearer-token protection for a Javalin app: before-handlers that authenticate the request and check scopes or
 * roles before the route's handler runs, and {@link #authorize} for per-resource decisions inside it.
 * <pre>{@code
 * var guard = ResourceGuard.of(verifier);
 * config.routes.before("/tasks/*", guard.requireScope("tasks:read"));
 * config.routes.get("/tasks", ctx -> ctx.json(tasks.of(ResourceGuard.subject(ctx).id())));
 * }</pre>
 * Answers: no token → 401 {@code WWW-Authenticate: Bearer}; a bad one → 401 {@code Bearer error="invalid_token"};
 * a missing scope → 403 {@code Bearer error="insufficient_scope", scope="…"}; a missing role or a denied action →
 * 403 {@code Bearer error="insufficient_scope"}; more than one Authorization header → 400 {@code invalid_request};
 * the issuer out of reach → 503 with {@code Retry-After}. The only place in doorman-resource with Javalin types.
 */
public final class ResourceGuard {
    private static final Logger LOG = Logger.getLogger(ResourceGuard.class.getName());
    private static final String SUBJECT = ResourceGuard.class.getName() + ".subject";
    private static final String RETRY_AFTER_SECONDS = "5";

    private final BearerAuthenticator authenticator;
    private final Challenges challenges;
    private final AccessDecider decider;

    private ResourceGuard(TokenVerifier verifier, Optional<String> realm, AccessDecider decider) {
        this.authenticator = new BearerAuthenticator(verifier);
        this.challenges = new Challenges(realm);
        this.decider = Objects.requireNonNull(decider);
    }

    /** A guard with no realm whose {@link #authorize} denies everything until a decider is given. */
    public static ResourceGuard of(TokenVerifier verifier) {
        return new ResourceGuard(verifier, Optional.empty(), AccessDecider.DENY_ALL);
    }

    public static ResourceGuard of(TokenVerifier verifier, Optional<String> realm, AccessDecider decider) {
        return new ResourceGuard(verifier, realm, decider);
    }

    /** Requires a valid bearer token; its subject is then available through {@link #subject(Context)}. */
    public Handler authenticate() {
        return ctx -> authenticated(ctx);
    }

    /** Requires a valid token holding every one of {@code scopes}. */
    public Handler requireScope(String... scopes) {
        List<String> needed = List.of(scopes).stream().map(Challenges::requireScopeToken).toList();
        if (needed.isEmpty()) throw new IllegalArgumentException("name at least one scope");
        return ctx -> {
            Optional<Subject> subject = authenticated(ctx);
            if (subject.isPresent() && !subject.get().scopes().containsAll(needed)) {
                LOG.info("403 insufficient scope for " + subject.get().id() + ": needs " + needed);
                deny(ctx, 403, challenges.insufficientScope(needed), "insufficient_scope");
            }
        };
    }

    /** Requires a valid token whose subject has every one of {@code roles}. */
    public Handler requireRole(String... roles) {
        List<String> needed = List.of(roles);
        if (needed.isEmpty()) throw new IllegalArgumentException("name at least one role");
        return ctx -> {
            Optional<Subject> subject = authenticated(ctx);
            if (subject.isPresent() && !subject.get().roles().containsAll(needed)) {
                LOG.info("403 missing role for " + subject.get().id() + ": needs " + needed);
                deny(ctx, 403, challenges.insufficientScope(List.of()), "insufficient_scope");
            }
        };
    }

    /**
     * Inside a handler, before it changes anything: may the caller do {@code action} on {@code resource}? If not,
     * the response is 403 (401 if the request carries no valid token) and the handler stops here.
     *
     * @throws HttpResponseException to end the handler when denied
     */
    public void authorize(Context ctx, String action, Object resource) {
        Optional<Subject> subject = findSubject(ctx).or(() -> authenticated(ctx));
        if (subject.isEmpty()) throw new HttpResponseException(ctx.status().getCode(), "", Map.of());
        if (!decider.permits(subject.get(), action, resource)) {
            LOG.info("403 " + action + " denied for " + subject.get().id());
            ctx.header("WWW-Authenticate", challenges.insufficientScope(List.of()));
            throw new HttpResponseException(403, "{\"error\":\"insufficient_scope\"}", Map.of());
        }
    }

    /** The subject a guard's before-handler established; fails loudly when the route has no guard (a wiring bug). */
    public static Subject subject(Context ctx) {
        return findSubject(ctx).orElseThrow(() -> new IllegalStateException("no ResourceGuard handler ran for " + ctx.path()));
    }

    public static Optional<Subject> findSubject(Context ctx) {
        return Optional.ofNullable(ctx.attribute(SUBJECT));
    }

    /** The subject, or empty after answering the request with the right error. */
    private Optional<Subject> authenticated(Context ctx) {
        Optional<Subject> known = findSubject(ctx);
        if (known.isPresent()) return known;
        List<String> headers = Collections.list(ctx.req().getHeaders("Authorization"));
        switch (authenticator.authenticate(headers)) {
            case BearerAuthenticator.Outcome.Authenticated a -> {
                ctx.attribute(SUBJECT, a.subject());
                return Optional.of(a.subject());
            }
            case BearerAuthenticator.Outcome.NoToken n -> deny(ctx, 401, challenges.missing(), null);
            case BearerAuthenticator.Outcome.InvalidToken i -> deny(ctx, 401, challenges.invalidToken(), "invalid_token");
            case BearerAuthenticator.Outcome.InvalidRequest r -> deny(ctx, 400, challenges.invalidRequest(), "invalid_request");
            case BearerAuthenticator.Outcome.Unavailable u -> {
                ctx.header("Retry-After", RETRY_AFTER_SECONDS);
                ctx.status(503).contentType("application/json").result("{\"error\":\"temporarily_unavailable\"}");
                ctx.skipRemainingHandlers();
            }
        }
        return Optional.empty();
    }

    /** @param error the RFC 6750 error code, repeated in a small JSON body; null when no credentials were sent */
    private static void deny(Context ctx, int status, String challenge, String error) {
        ctx.header("WWW-Authenticate", challenge);
        ctx.header("Cache-Control", "no-store");
        ctx.status(status).contentType("application/json").result(error == null ? "{}" : "{\"error\":\"" + error + "\"}");
        ctx.skipRemainingHandlers();
    }
}
