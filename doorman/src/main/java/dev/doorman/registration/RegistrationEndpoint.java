package dev.doorman.registration;

import dev.doorman.account.DisplayNames;
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
import dev.doorman.web.Views;
import io.javalin.http.Context;

import java.util.Optional;
import java.util.Set;

public final class RegistrationEndpoint {
    static final String ACCEPTED = "If this address can be used, we have sent a link to it. Follow it to confirm your account.";

    private final RegistrationService registration;
    private final PasswordPolicy policy;
    private final Views views;
    private final Layout layout;

    public RegistrationEndpoint(RegistrationService registration, PasswordPolicy policy, Views views, Layout layout) {
        this.registration = registration;
        this.policy = policy;
        this.views = views;
        this.layout = layout;
    }

    public void form(Context ctx) {
        views.render(ctx, "register.jte", page(ctx, "", "", Optional.empty()));
    }

    public void submit(Context ctx) {
        Forms.requireForm(ctx);
        String rawEmail = Forms.field(ctx, "email");
        String rawName = Forms.field(ctx, "name");
        Optional<Email> email = Email.parse(rawEmail);
        if (email.isEmpty()) {
            views.render(ctx, 400, "register.jte", page(ctx, rawEmail, rawName, Optional.of("Enter a valid e-mail address.")));
            return;
        }
        Optional<String> name;
        try {
            name = DisplayNames.parse(rawName);
        } catch (IllegalArgumentException e) {
            views.render(ctx, 400, "register.jte", page(ctx, rawEmail, rawName, Optional.of(e.getMessage())));
            return;
        }
        switch (registration.register(email.get(), new Password(Forms.field(ctx, "password")), name, Clients.of(ctx))) {
            case RegistrationOutcome.Accepted a -> views.render(ctx, "message.jte", new Pages.Message(layout.nav(ctx),
                    "Check your inbox", ACCEPTED, Optional.empty()));
            case RegistrationOutcome.Rejected r ->
                    views.render(ctx, 400, "register.jte", page(ctx, rawEmail, rawName, Optional.of(r.violation().message())));
        }
    }

    /** POST /api/v1/accounts {email, password, name?} → 202, the same for new and taken addresses. */
    public void api(Context ctx) {
        var body = JsonBody.read(ctx, Set.of("email", "password"), Set.of("name"));
        Email email = Email.parse(body.text("email"))
                .orElseThrow(() -> new ProblemException(400, "account.invalid_email", "Field 'email' is not a valid e-mail address."));
        Optional<String> name;
        try {
            name = DisplayNames.parse(body.optionalText("name").orElse(null));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(400, "account.invalid_name", e.getMessage());
        }
        switch (registration.register(email, new Password(body.text("password")), name, Clients.of(ctx))) {
            case RegistrationOutcome.Accepted a -> Json.write(ctx, 202, new Json.Message(ACCEPTED));
            case RegistrationOutcome.Rejected r -> throw new ProblemException(400, r.violation().id(), r.violation().message());
        }
    }

    private Pages.Register page(Context ctx, String email, String name, Optional<String> error) {
        return new Pages.Register(layout.nav(ctx), layout.csrf(ctx), email, name, error, policy.minLength());
    }
}
