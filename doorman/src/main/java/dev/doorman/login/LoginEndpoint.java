package dev.doorman.login;

import dev.doorman.account.Email;
import dev.doorman.account.Password;
import dev.doorman.session.Session;
import dev.doorman.session.SessionService;
import dev.doorman.web.Authn;
import dev.doorman.web.Clients;
import dev.doorman.web.Csrf;
import dev.doorman.web.Forms;
import dev.doorman.web.Json;
import dev.doorman.web.JsonBody;
import dev.doorman.web.Layout;
import dev.doorman.web.Pages;
import dev.doorman.web.ProblemException;
import dev.doorman.web.Views;
import dev.doorman.web.SecurityHeaders;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.Set;

public final class LoginEndpoint {
    /** The API's answer to a login: the session cookie is set; this is the token for its unsafe requests. */
    public record SessionCreated(String csrfToken, String expiresAt) { }

    private final LoginService login;
    private final SessionService sessions;
    private final Authn authn;
    private final Csrf csrf;
    private final Views views;
    private final Layout layout;
    private final Function<String, List<URI>> formTargets;
    private final SecondFactorHandoff secondFactor;

    /**
     * @param formTargets where a login that resumes {@code returnTo} may end up: for an authorization request, the
     *                    client's redirect URIs, which the page's CSP {@code form-action} must allow (Chrome checks
     *                    the redirects that follow a form POST against it)
     */
    public LoginEndpoint(LoginService login, SessionService sessions, Authn authn, Csrf csrf, Views views, Layout layout,
                         Function<String, List<URI>> formTargets) {
        this(login, sessions, authn, csrf, views, layout, formTargets, SecondFactorHandoff.NONE);
    }

    /** @param secondFactor where a login goes when a second factor must follow the password */
    public LoginEndpoint(LoginService login, SessionService sessions, Authn authn, Csrf csrf, Views views, Layout layout,
                         Function<String, List<URI>> formTargets, SecondFactorHandoff secondFactor) {
        this.secondFactor = secondFactor;
        this.login = login;
        this.sessions = sessions;
        this.authn = authn;
        this.csrf = csrf;
        this.views = views;
        this.layout = layout;
        this.formTargets = formTargets;
    }

    public void form(Context ctx) {
        String returnTo = Layout.safeReturnTo(ctx.queryParam("returnTo"));
        if (Authn.session(ctx).isPresent()) {
            ctx.redirect(returnTo, HttpStatus.SEE_OTHER);
            return;
        }
        Optional<String> notice = "1".equals(ctx.queryParam("loggedOut")) ? Optional.of("You have been logged out.") : Optional.empty();
        String hint = Optional.ofNullable(ctx.queryParam("login_hint")).filter(h -> h.length() <= 254).orElse("");
        views.render(ctx, "login.jte", page(ctx, hint, Optional.empty(), notice, returnTo));
    }

    public void submit(Context ctx) {
        Forms.requireForm(ctx);
        String rawEmail = Forms.field(ctx, "email");
        String returnTo = Layout.safeReturnTo(Forms.field(ctx, "returnTo"));
        var password = new Password(Forms.field(ctx, "password"));
        var outcome = Email.parse(rawEmail)
                .map(email -> login.login(email, password, Authn.session(ctx), Clients.of(ctx)))
                .orElseGet(() -> login.rejectMalformed(rawEmail, password, Clients.of(ctx)));
        switch (outcome) {
            case LoginOutcome.Authenticated a -> {
                authn.begin(ctx, a.session());
                ctx.redirect(returnTo, HttpStatus.SEE_OTHER);
            }
            case LoginOutcome.NeedsSecondFactor n -> secondFactor.browser(ctx, n, returnTo);
            case LoginOutcome.Rejected r -> views.render(ctx, 401, "login.jte",
                    page(ctx, rawEmail, Optional.of(r.why().message()), Optional.empty(), returnTo));
        }
    }

    public void logout(Context ctx) {
        Authn.session(ctx).ifPresent(s -> sessions.logout(s, Clients.of(ctx)));
        authn.end(ctx);
        ctx.redirect(LoginPaths.FORM + "?loggedOut=1", HttpStatus.SEE_OTHER);
    }

    /** POST /api/v1/session {email, password} → 200 {csrfToken, expiresAt} and the session cookie. */
    public void apiLogin(Context ctx) {
        var body = JsonBody.read(ctx, Set.of("email", "password"), Set.of());
        String rawEmail = body.text("email");
        var password = new Password(body.text("password"));
        var outcome = Email.parse(rawEmail)
                .map(email -> login.login(email, password, Authn.session(ctx), Clients.of(ctx)))
                .orElseGet(() -> login.rejectMalformed(rawEmail, password, Clients.of(ctx)));
        switch (outcome) {
            case LoginOutcome.Authenticated a -> {
                authn.begin(ctx, a.session());
                Session s = a.session().session();
                Json.write(ctx, 200, new SessionCreated(csrf.sessionToken(s), s.expiresAt().toString()));
            }
            case LoginOutcome.NeedsSecondFactor n -> secondFactor.api(ctx, n);
            case LoginOutcome.Rejected r -> throw new ProblemException(401, r.why().id(), r.why().message());
        }
    }

    /** DELETE /api/v1/session → 204. */
    public void apiLogout(Context ctx) {
        Session session = Authn.session(ctx).orElseThrow(() -> new ProblemException(401, "auth.unauthenticated", "You are not logged in."));
        sessions.logout(session, Clients.of(ctx));
        authn.end(ctx);
        ctx.status(204);
    }

    private Pages.Login page(Context ctx, String email, Optional<String> error, Optional<String> notice, String returnTo) {
        SecurityHeaders.allowFormAction(ctx, formTargets.apply(returnTo));
        SecurityHeaders.allowScripts(ctx);   // the passkey button
        return new Pages.Login(layout.nav(ctx), layout.csrf(ctx), email, error, notice, returnTo);
    }
}
