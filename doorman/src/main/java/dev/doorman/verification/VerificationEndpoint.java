package dev.doorman.verification;

import dev.doorman.account.Email;
import dev.doorman.support.Secrets;
import dev.doorman.web.Clients;
import dev.doorman.web.Forms;
import dev.doorman.web.Json;
import dev.doorman.web.JsonBody;
import dev.doorman.web.Layout;
import dev.doorman.web.Pages;
import dev.doorman.web.ProblemException;
import dev.doorman.web.SecurityHeaders;
import dev.doorman.web.Views;
import io.javalin.http.Context;

import java.util.Optional;
import java.util.Set;

/**
 * The mailed link opens a page with one button; only the POST spends the token. A GET never changes state,
 * so mail scanners that prefetch links cannot confirm (or burn) anything.
 */
public final class VerificationEndpoint {
    private final VerificationService verification;
    private final Views views;
    private final Layout layout;

    public VerificationEndpoint(VerificationService verification, Views views, Layout layout) {
        this.verification = verification;
        this.views = views;
        this.layout = layout;
    }

    public void page(Context ctx) {
        SecurityHeaders.noReferrer(ctx);
        String token = ctx.queryParam("token");
        if (!Secrets.looksLikeToken(token)) {
            views.render(ctx, 400, "message.jte", new Pages.Message(layout.nav(ctx), "Link not valid",
                    "This verification link is not valid. Copy the whole link from the mail.", Optional.empty()));
            return;
        }
        views.render(ctx, "verify-email.jte", new Pages.VerifyEmail(layout.nav(ctx), layout.csrf(ctx), token));
    }

    public void submit(Context ctx) {
        Forms.requireForm(ctx);
        SecurityHeaders.noReferrer(ctx);
        switch (verification.verify(Forms.field(ctx, "token"), Clients.of(ctx))) {
            case VerificationOutcome.Verified v -> views.render(ctx, "message.jte", new Pages.Message(layout.nav(ctx),
                    "E-mail address confirmed", "Thank you. Your account is ready.", Optional.of(new Pages.Link("/login", "Log in"))));
            case VerificationOutcome.Rejected r -> views.render(ctx, 400, "message.jte",
                    new Pages.Message(layout.nav(ctx), "Link not valid", r.message(), Optional.empty()));
        }
    }

    /** POST /api/v1/accounts/verify {token} → 204. */
    public void api(Context ctx) {
        var body = JsonBody.read(ctx, Set.of("token"), Set.of());
        switch (verification.verify(body.text("token"), Clients.of(ctx))) {
            case VerificationOutcome.Verified v -> ctx.status(204);
            case VerificationOutcome.Rejected r -> throw new ProblemException(400, r.id(), r.message());
        }
    }

    /** POST /api/v1/accounts/verify/resend {email} → 202 whether or not there is such an account. */
    public void apiResend(Context ctx) {
        var body = JsonBody.read(ctx, Set.of("email"), Set.of());
        Email email = Email.parse(body.text("email"))
                .orElseThrow(() -> new ProblemException(400, "account.invalid_email", "Field 'email' is not a valid e-mail address."));
        verification.resend(email, Clients.of(ctx));
        Json.write(ctx, 202, new Json.Message("If this address has an unconfirmed account, we have sent it a new link."));
    }
}
