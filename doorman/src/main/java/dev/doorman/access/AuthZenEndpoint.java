package dev.doorman.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.doorman.account.UserId;
import dev.doorman.audit.AuditEvent;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditType;
import dev.doorman.authz.AccessRequest;
import dev.doorman.authz.Decision;
import dev.doorman.authz.Subject;
import dev.doorman.web.Clients;
import dev.doorman.web.Json;
import dev.doorman.web.JsonBody;
import dev.doorman.web.WebErrors;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /access/v1/evaluation} and {@code /access/v1/evaluations}: the policy decision point for services in
 * any language (OpenID AuthZEN Authorization API 1.0). Callers authenticate with a Doorman access token carrying
 * {@code doorman:authz}; {@code ?explain=true} adds the step-by-step explanation to each decision's context.
 * Every deny is audited ({@code access_denied}).
 */
public final class AuthZenEndpoint {
    private static final Set<String> PARTS = Set.of("subject", "action", "resource", "context");
    private static final Set<String> PARTS_REQUIRED = Set.of("subject", "action", "resource");

    private final AccessService access;
    private final DecisionPointCaller callers;
    private final WebErrors errors;
    private final AuditLog audit;

    public AuthZenEndpoint(AccessService access, DecisionPointCaller callers, WebErrors errors, AuditLog audit) {
        this.access = access;
        this.callers = callers;
        this.errors = errors;
        this.audit = audit;
    }

    public void evaluation(Context ctx) {
        if (!authenticated(ctx)) return;
        JsonBody body = JsonBody.read(ctx, PARTS_REQUIRED, Set.of("context"));
        AccessRequest request = AuthZenMessages.request(body.optionalNode("subject"), body.optionalNode("action"),
                body.optionalNode("resource"), body.optionalNode("context"));
        write(ctx, AuthZenMessages.response(decide(ctx, request), explain(ctx)));
    }

    public void evaluations(Context ctx) {
        if (!authenticated(ctx)) return;
        JsonBody body = JsonBody.read(ctx, Set.of(), Set.of("subject", "action", "resource", "context", "evaluations", "options"));
        Semantic semantic = semantic(body.optionalNode("options"));
        Optional<JsonNode> items = body.optionalNode("evaluations");
        if (items.isEmpty()) {
            // AuthZEN §7.1: without "evaluations" the request is one evaluation, answered like one.
            AccessRequest request = AuthZenMessages.request(body.optionalNode("subject"), body.optionalNode("action"),
                    body.optionalNode("resource"), body.optionalNode("context"));
            write(ctx, AuthZenMessages.response(decide(ctx, request), explain(ctx)));
            return;
        }
        if (!items.get().isArray()) throw AuthZenMessages.bad("request.wrong_type", "Field 'evaluations' must be an array.");
        if (items.get().size() > AuthZenMessages.MAX_EVALUATIONS)
            throw AuthZenMessages.bad("authzen.too_many_evaluations", "At most " + AuthZenMessages.MAX_EVALUATIONS + " evaluations per request.");
        // Parse every item before deciding any, so that a malformed item answers 400 and nothing else.
        var requests = new ArrayList<AccessRequest>();
        for (JsonNode item : items.get()) {
            AuthZenMessages.object(item, "evaluations[]", Set.of(), PARTS);
            requests.add(AuthZenMessages.request(
                    part(item, "subject").or(() -> body.optionalNode("subject")),
                    part(item, "action").or(() -> body.optionalNode("action")),
                    part(item, "resource").or(() -> body.optionalNode("resource")),
                    part(item, "context").or(() -> body.optionalNode("context"))));
        }
        var results = new ArrayList<Map<String, Object>>();
        var batch = access.batch(explain(ctx));
        for (AccessRequest request : requests) {
            Decision decision = audited(ctx, request, batch.apply(request));
            results.add(AuthZenMessages.response(decision, explain(ctx)));
            if (semantic == Semantic.DENY_ON_FIRST_DENY && decision.denied()) break;
            if (semantic == Semantic.PERMIT_ON_FIRST_PERMIT && decision.allowed()) break;
        }
        var out = new LinkedHashMap<String, Object>();
        out.put("evaluations", results);
        write(ctx, out);
    }

    private enum Semantic { EXECUTE_ALL, DENY_ON_FIRST_DENY, PERMIT_ON_FIRST_PERMIT }

    private static Semantic semantic(Optional<JsonNode> options) {
        if (options.isEmpty()) return Semantic.EXECUTE_ALL;
        AuthZenMessages.object(options.get(), "options", Set.of(), Set.of("evaluations_semantic"));
        JsonNode s = options.get().get("evaluations_semantic");
        if (s == null || s.isNull()) return Semantic.EXECUTE_ALL;
        return switch (s.isTextual() ? s.textValue() : "") {
            case "execute_all" -> Semantic.EXECUTE_ALL;
            case "deny_on_first_deny" -> Semantic.DENY_ON_FIRST_DENY;
            case "permit_on_first_permit" -> Semantic.PERMIT_ON_FIRST_PERMIT;
            default -> throw AuthZenMessages.bad("authzen.invalid_options",
                    "options.evaluations_semantic is execute_all, deny_on_first_deny or permit_on_first_permit.");
        };
    }

    private static Optional<JsonNode> part(JsonNode item, String name) {
        JsonNode n = item.get(name);
        return n == null || n.isNull() ? Optional.empty() : Optional.of(n);
    }

    private Decision decide(Context ctx, AccessRequest request) {
        return audited(ctx, request, access.decide(request, explain(ctx)));
    }

    private Decision audited(Context ctx, AccessRequest request, Decision decision) {
        if (decision.denied()) {
            Subject s = request.subject();
            Optional<UserId> user = s.kind() == Subject.Kind.USER ? UserId.tryParse(s.id()) : Optional.empty();
            String reason = request.action() + " on " + request.resource().ref() + ": " + reasonCode(decision);
            if (user.isPresent()) audit.failure(AuditType.ACCESS_DENIED, reason, user, Clients.of(ctx));
            else audit.unknownIdentifier(AuditType.ACCESS_DENIED, AuditEvent.Outcome.FAILURE, reason, s.id(), Clients.of(ctx));
        }
        return decision;
    }

    private static String reasonCode(Decision d) {
        return switch (d.reason()) {
            case Decision.Reason.DeniedByRule r -> "denied_by_rule " + r.rule();
            case Decision.Reason.NothingAllowed n -> "nothing_allowed";
            case Decision.Reason.Undecidable u -> "undecidable";
            default -> "denied";
        };
    }

    private static boolean explain(Context ctx) {
        return "true".equals(ctx.queryParam("explain"));
    }

    /** RFC 6750 §3: 401 with a challenge for a missing or bad token, 403 insufficient_scope naming the scope. */
    private boolean authenticated(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        return switch (callers.check(Optional.ofNullable(ctx.header("Authorization")))) {
            case DecisionPointCaller.Outcome.Allowed a -> true;
            case DecisionPointCaller.Outcome.NoToken n -> {
                ctx.header("WWW-Authenticate", "Bearer realm=\"doorman\", scope=\"" + AccessPaths.DECISION_SCOPE + "\"");
                errors.respond(ctx, 401, "auth.unauthenticated", "Send a Doorman access token with the " + AccessPaths.DECISION_SCOPE + " scope.");
                yield false;
            }
            case DecisionPointCaller.Outcome.InvalidToken i -> {
                ctx.header("WWW-Authenticate", "Bearer realm=\"doorman\", error=\"invalid_token\"");
                errors.respond(ctx, 401, "auth.invalid_token", "The access token is not valid.");
                yield false;
            }
            case DecisionPointCaller.Outcome.InsufficientScope s -> {
                ctx.header("WWW-Authenticate", "Bearer realm=\"doorman\", error=\"insufficient_scope\", scope=\"" + AccessPaths.DECISION_SCOPE + "\"");
                errors.respond(ctx, 403, "auth.insufficient_scope", "The access token lacks the " + AccessPaths.DECISION_SCOPE + " scope.");
                yield false;
            }
        };
    }

    private static void write(Context ctx, Object body) {
        Json.write(ctx, 200, body);
    }
}
