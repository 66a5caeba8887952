package dev.doorman.examples.payments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.doorman.authz.Subject;
import dev.doorman.web.JsonBody;
import dev.doorman.web.ProblemException;
import io.javalin.http.Context;

import java.util.Optional;
import java.util.Set;

/**
 * The JSON API's edge. By the time a POST gets here Doorman's before-handlers have resolved the session cookie and
 * checked the CSRF token (bound to that session) and the origin; this edge adds the stricter origin rule for
 * payments, the Idempotency-Key and a strict body. Problems are problem+json (the path is under /api/).
 */
public final class PaymentsApi {
    public static final String PAYMENTS = "/api/payments";
    public static final String ACCOUNTS = "/api/accounts";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PaymentsService payments;
    private final StepUpEvidence callers;
    private final PaymentStore audit;
    private final String origin;

    public PaymentsApi(PaymentsService payments, StepUpEvidence callers, PaymentStore audit, String origin) {
        this.payments = payments;
        this.callers = callers;
        this.audit = audit;
        this.origin = origin;
    }

    public void pay(Context ctx) {
        Subject caller = caller(ctx);
        requireSameOrigin(ctx, caller, origin, audit);
        IdempotencyKey key;
        PaymentRequest request;
        try {
            key = IdempotencyKey.parse(ctx.header(IdempotencyKey.HEADER)).orElseThrow(() -> new ProblemException(400,
                    "payments.idempotency_key_required", "Send an Idempotency-Key header: 8 to 128 letters, digits or - _ . : (a UUID will do)."));
            request = request(ctx);
        } catch (ProblemException e) {
            audit.audit(AuditEntry.refusal(Optional.of(caller.id()), e.code(), ctx.ip()));
            throw e;
        }
        PaymentOutcome.Paid paid = paidOrProblem(payments.pay(caller, key, request, ctx.ip()));
        ctx.status(paid.status()).header("Location", PAYMENTS + "/" + paid.paymentId()).contentType("application/json");
        if (paid.replayed()) ctx.header("Idempotent-Replayed", "true");
        ctx.result(paid.response());
    }

    /** The payment, or the problem that says why not (problem+json for the API, an error page for the page's form). */
    static PaymentOutcome.Paid paidOrProblem(PaymentOutcome outcome) {
        return switch (outcome) {
            case PaymentOutcome.Paid paid -> paid;
            case PaymentOutcome.KeyReused ignored -> throw new ProblemException(422, "payments.idempotency_key_reused",
                    "This Idempotency-Key was used for a different payment. Use a new key for a new payment.");
            case PaymentOutcome.AccountNotFound ignored -> throw new ProblemException(404, "payments.account_not_found",
                    "There is no such account.");
            case PaymentOutcome.NeedsApproval needs -> throw new ProblemException(403, "payments.approval_required",
                    "Payments over " + needs.limit() + " (minor units) need the payments:approver role or a second factor "
                            + "in the last 5 minutes.");
            case PaymentOutcome.Refused ignored -> throw new ProblemException(403, "auth.forbidden", "You may not make this payment.");
        };
    }

    /** 403 unless the request comes from the app's own origin (see {@link SameOriginPost}); refusals are audited. */
    static void requireSameOrigin(Context ctx, Subject caller, String origin, PaymentStore audit) {
        Optional<String> crossSite = SameOriginPost.refusal(ctx.header("Sec-Fetch-Site"), ctx.header("Origin"), origin);
        if (crossSite.isPresent()) {
            audit.audit(AuditEntry.refusal(Optional.of(caller.id()), crossSite.get(), ctx.ip()));
            throw new ProblemException(403, "payments." + crossSite.get(), "Payments are accepted only from this app's own pages"
                    + (crossSite.get().equals("origin_missing") ? "; send the Origin header." : "."));
        }
    }

    public void listPayments(Context ctx) {
        var array = JSON.createArrayNode();
        payments.payments(caller(ctx)).forEach(p -> array.add(parse(PaymentsService.json(p))));
        ctx.contentType("application/json").result(array.toString());
    }

    public void openAccount(Context ctx) {
        Subject caller = caller(ctx);
        JsonBody body = JsonBody.read(ctx, Set.of("name"), Set.of());
        String name = body.text("name");
        if (name.isBlank() || name.length() > 60 || name.chars().anyMatch(Character::isISOControl))
            throw new ProblemException(400, "payments.invalid_account", "'name' must be 1 to 60 characters without control characters.");
        var account = payments.openAccount(caller, name, ctx.ip())
                .orElseThrow(() -> new ProblemException(403, "auth.forbidden", "You may not open accounts."));
        ctx.status(201).contentType("application/json").result(JSON.createObjectNode().put("id", account.id())
                .put("name", account.name()).put("createdAt", account.createdAt().toString()).toString());
    }

    public void listAccounts(Context ctx) {
        var array = JSON.createArrayNode();
        payments.accounts(caller(ctx)).forEach(a -> array.addObject().put("id", a.id()).put("name", a.name())
                .put("createdAt", a.createdAt().toString()));
        ctx.contentType("application/json").result(array.toString());
    }

    private Subject caller(Context ctx) {
        return callers.caller(ctx).orElseThrow(() -> new ProblemException(401, "auth.unauthenticated", "Log in first."));
    }

    /** Exactly {fromAccount, payee, amount, currency[, reference]}; amount a JSON integer (cents), never a string or 12.5. */
    private static PaymentRequest request(Context ctx) {
        JsonBody body = JsonBody.read(ctx, Set.of("fromAccount", "payee", "amount", "currency"), Set.of("reference"));
        JsonNode amount = body.optionalNode("amount").orElseThrow();
        if (!amount.isIntegralNumber() || !amount.canConvertToLong())
            throw new ProblemException(400, "request.wrong_type", "Field 'amount' must be a whole number of cents.");
        try {
            return new PaymentRequest(body.text("fromAccount"), body.text("payee"), amount.longValue(), body.text("currency"),
                    body.optionalText("reference").orElse(""));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(400, "payments.invalid_payment", e.getMessage());
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a stored payment is not JSON", e);
        }
    }
}
