package dev.doorman.examples.payments;

import dev.doorman.authz.Subject;
import dev.doorman.web.ProblemException;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The cookie-based web app: one server-rendered page with plain forms and no script (Doorman's CSP allows none).
 * The pay form carries the CSRF token and an Idempotency-Key minted when the page is rendered, so a double click
 * or a resubmitted form pays once. The same service, policy, origin rule and audit as the JSON API.
 */
public final class PaymentsPage {
    public static final String PAGE = "/payments";
    public static final String OPEN_ACCOUNT = "/accounts";

    private final PaymentsService payments;
    private final StepUpEvidence callers;
    private final PaymentStore audit;
    private final String origin;
    private final Function<Context, String> csrfToken;

    public PaymentsPage(PaymentsService payments, StepUpEvidence callers, PaymentStore audit, String origin, Function<Context, String> csrfToken) {
        this.payments = payments;
        this.callers = callers;
        this.audit = audit;
        this.origin = origin;
        this.csrfToken = csrfToken;
    }

    public void page(Context ctx) {
        Optional<Subject> caller = callers.caller(ctx);
        if (caller.isEmpty()) {
            ctx.redirect("/login?returnTo=" + PAGE, HttpStatus.SEE_OTHER);
            return;
        }
        ctx.header("Cache-Control", "no-store").html(render(caller.get(), payments.accounts(caller.get()), payments.payments(caller.get()),
                csrfToken.apply(ctx), UUID.randomUUID().toString(), payments.limit()));
    }

    public void pay(Context ctx) {
        Subject caller = signedIn(ctx);
        PaymentsApi.requireSameOrigin(ctx, caller, origin, audit);
        IdempotencyKey key;
        PaymentRequest request;
        try {
            key = IdempotencyKey.parse(ctx.formParam("idempotencyKey")).orElseThrow(() -> new ProblemException(400,
                    "payments.idempotency_key_required", "The form is missing its key. Reload the page and try again."));
            String amount = field(ctx, "amount");
            if (!amount.matches("[0-9]{1,13}")) throw new ProblemException(400, "payments.invalid_payment", "The amount must be a whole number of cents.");
            request = new PaymentRequest(field(ctx, "fromAccount"), field(ctx, "payee"), Long.parseLong(amount), field(ctx, "currency"),
                    Optional.ofNullable(ctx.formParam("reference")).orElse(""));
        } catch (IllegalArgumentException e) {
            audit.audit(AuditEntry.refusal(Optional.of(caller.id()), "payments.invalid_payment", ctx.ip()));
            throw new ProblemException(400, "payments.invalid_payment", e.getMessage());
        } catch (ProblemException e) {
            audit.audit(AuditEntry.refusal(Optional.of(caller.id()), e.code(), ctx.ip()));
            throw e;
        }
        PaymentsApi.paidOrProblem(payments.pay(caller, key, request, ctx.ip()));
        ctx.redirect(PAGE, HttpStatus.SEE_OTHER);
    }

    public void openAccount(Context ctx) {
        Subject caller = signedIn(ctx);
        String name = field(ctx, "name");
        if (name.isBlank() || name.length() > 60 || name.chars().anyMatch(Character::isISOControl))
            throw new ProblemException(400, "payments.invalid_account", "The name must be 1 to 60 characters.");
        payments.openAccount(caller, name, ctx.ip()).orElseThrow(() -> new ProblemException(403, "auth.forbidden", "You may not open accounts."));
        ctx.redirect(PAGE, HttpStatus.SEE_OTHER);
    }

    private Subject signedIn(Context ctx) {
        return callers.caller(ctx).orElseThrow(() -> new ProblemException(401, "auth.unauthenticated", "Log in first."));
    }

    private static String field(Context ctx, String name) {
        String value = ctx.formParam(name);
        if (value == null) throw new ProblemException(400, "request.missing_field", "Missing field '" + name + "'.");
        return value.strip();
    }

    static String render(Subject caller, List<Account> accounts, List<Payment> made, String csrf, String key, long limit) {
        String token = "<input type=\"hidden\" name=\"csrf\" value=\"" + escape(csrf) + "\">";
        var html = new StringBuilder(4096).append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>Payments</title><link rel=\"stylesheet\" href=\"/assets/doorman.css\"></head><body><main>")
                .append("<h1>Payments</h1><p>Signed in as ")
                .append(escape(String.valueOf(caller.attributes().getOrDefault("email", caller.id()))))
                .append(".</p><form method=\"post\" action=\"/logout\">").append(token).append("<button type=\"submit\">Log out</button></form>");
        if (accounts.isEmpty()) {
            html.append("<p>You have no account yet.</p>");
        } else {
            html.append("<h2>Pay</h2><form method=\"post\" action=\"/payments\">").append(token)
                    .append("<input type=\"hidden\" name=\"idempotencyKey\" value=\"").append(escape(key)).append("\">")
                    .append("<label>From <select name=\"fromAccount\">");
            for (Account a : accounts) html.append("<option value=\"").append(escape(a.id())).append("\">").append(escape(a.name())).append("</option>");
            html.append("</select></label><label>To (IBAN) <input name=\"payee\" required></label>")
                    .append("<label>Amount in cents <input name=\"amount\" required inputmode=\"numeric\"></label>")
                    .append("<label>Currency <input name=\"currency\" value=\"EUR\" required></label>")
                    .append("<label>Reference <input name=\"reference\" maxlength=\"140\"></label>")
                    .append("<p><small>Over ").append(limit).append(" cents needs the payments:approver role or a second factor in the last 5 minutes.</small></p>")
                    .append("<button type=\"submit\">Pay</button></form>");
        }
        html.append("<h2>Open an account</h2><form method=\"post\" action=\"/accounts\">").append(token)
                .append("<label>Name <input name=\"name\" required maxlength=\"60\"></label><button type=\"submit\">Open</button></form>")
                .append("<h2>Your payments</h2>");
        if (made.isEmpty()) html.append("<p>None yet.</p>");
        else html.append("<ul>");
        for (Payment p : made) {
            html.append("<li>").append(p.amount()).append(' ').append(escape(p.currency())).append(" to ").append(escape(p.payee()))
                    .append(" — ").append(escape(p.reference())).append(" <small>").append(p.createdAt()).append("</small></li>");
        }
        if (!made.isEmpty()) html.append("</ul>");
        return html.append("</main></body></html>").toString();
    }

    static String escape(String s) {
        var out = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
