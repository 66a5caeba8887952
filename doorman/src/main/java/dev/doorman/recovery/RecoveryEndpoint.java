package dev.doorman.recovery;

import dev.doorman.account.Email;
import dev.doorman.account.Password;
import dev.doorman.account.PasswordPolicy;
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

public final class RecoveryEndpoint {
    static final String REQUESTED = "If an account exists for this address, we have sent it a link to reset the password.";

    private final RecoveryService recovery;
    private final PasswordPolicy policy;
    private final Views views;
    private final Layout layout;

    public RecoveryEndpoint(RecoveryService recovery, PasswordPolicy policy, Views views, Layout layout) {
        this.recovery = recovery;
        this.policy = policy;
        this.views = views;
        this.layout = layout;
    }

    public void forgotForm(Context ctx) {
        views.render(ctx, "forgot.jte", new Pages.Forgot(layout.nav(ctx), layout.csrf(ctx), ""));
    }

    public void forgotSubmit(Context ctx) {
        Forms.requireForm(ctx);
        Optional<Email> email = Email.parse(Forms.field(ctx, "email"));
        if (email.isEmpty()) {
            views.render(ctx, 400, "message.jte", new Pages.Message(layout.nav(ctx), "Enter a valid e-mail address",
                    "That does not look like an e-mail address.", Optional.of(new Pages.Link(RecoveryPaths.FORGOT, "Try again"))));
            return;
        }
        recovery.request(email.get(), Clients.of(ctx));
        views.render(ctx, "message.jte", new Pages.Message(layout.nav(ctx), "Check your inbox", REQUESTED, Optional.empty()));
    }

    public void resetForm(Context ctx) {
        SecurityHeaders.noReferrer(ctx);
        String token = Optional.ofNullable(ctx.queryParam("token")).orElse("");
        Optional<RecoveryOutcome.Rejected> invalid = recovery.checkToken(token);
        if (invalid.isPresent()) {
            linkRejected(ctx, invalid.get());
            return;
        }
        views.render(ctx, "reset.jte", new Pages.Reset(layout.nav(ctx), layout.csrf(ctx), token, Optional.empty(), policy.minLength()));
    }

    public void resetSubmit(Context ctx) {
        Forms.requireForm(ctx);
        SecurityHeaders.noReferrer(ctx);
        String token = Forms.field(ctx, "token");
        switch (recovery.confirm(token, new Password(Forms.field(ctx, "password")), Clients.of(ctx))) {
            case RecoveryOutcome.Completed c -> views.render(ctx, "message.jte", new Pages.Message(layout.nav(ctx), "Password changed",
                    "Your password has been changed and every session was logged out. Log in with the new password.",
                    Optional.of(new Pages.Link("/login", "Log in"))));
            case RecoveryOutcome.Rejected r when r.id().startsWith("password.") -> views.render(ctx, 400, "reset.jte",
                    new Pages.Reset(layout.nav(ctx), layout.csrf(ctx), token, Optional.of(r.message()), policy.minLength()));
            case RecoveryOutcome.Rejected r -> linkRejected(ctx, r);
        }
    }

    /** POST /api/v1/password-reset {email} → 202 for every well-formed address. */
    public void apiRequest(Context ctx) {
        var body = JsonBody.read(ctx, Set.of("email"), Set.of());
        Email email = Email.parse(body.text("email"))
                .orElseThrow(() -> new ProblemException(400, "account.invalid_email", "Field 'email' is not a valid e-mail address."));
        recovery.request(email, Clients.of(ctx));
        Json.write(ctx, 202, new Json.Message(REQUESTED));
    }

    /** POST /api/v1/password-reset/confirm {token, password} → 204. */
    public void apiConfirm(Context ctx) {
        var body = JsonBody.read(ctx, Set.of("token", "password"), Set.of());
        switch (recovery.confirm(body.text("token"), new Password(body.text("password")), Clients.of(ctx))) {
            case RecoveryOutcome.Completed c -> ctx.status(204);
            case RecoveryOutcome.Rejected r -> throw new ProblemException(400, r.id(), r.message());
        }
    }

    private void linkRejected(Context ctx, RecoveryOutcome.Rejected r) {
        views.render(ctx, 400, "message.jte", new Pages.Message(layout.nav(ctx), "Link not valid", r.message(),
                Optional.of(new Pages.Link(RecoveryPaths.FORGOT, "Ask for a new link"))));
    }
}
