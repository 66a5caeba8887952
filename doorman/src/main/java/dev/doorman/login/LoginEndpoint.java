package dev.doorman.login;

import dev.doorman.account.Email;
import dev.doorman.account.Password;
import dev.doorman.guard.GuardEndpoint;
import dev.doorman.guard.LoginGuard;
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
    private final GuardEndpoint guard;
    private final SecondFactorHandoff secondFactor;

    /**
     * @param formTargets where a login that resumes {@code returnTo} may end up: for an authorization request, the
     *                    client's redirect URIs, which the page's CSP {@code form-action} must allow (Chrome checks
     *                    the redirects that follow a form POST against it)
     */
    public LoginEndpoint(LoginService login, SessionService sessions, Authn authn, Csrf csrf, Views views, Layout layout,
                         Function<String, List<URI>> formTargets, GuardEndpoint guard, SecondFactorHandoff secondFactor) {
        this.secondFactor = secondFactor;
        this.login = login;
        this.sessions = sessions;
        this.authn = authn;
        this.csrf = csrf;
        this.views = views;
        this.layout = layout;
        this.formTargets = formTargets;
        this.guard = guard;
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
        var solution = Optional.ofNullable(ctx.formParam("pow_challenge"))
                .map(c -> new LoginGuard.Solution(c, Optional.ofNullable(ctx.formParam("pow_nonce")).orElse("")));
        var outcome = login(ctx, rawEmail, password, solution);
        switch (outcome) {
            case LoginOutcome.Authenticated a -> {
                authn.begin(ctx, a.session());
                ctx.redirect(returnTo, HttpStatus.SEE_OTHER);
            }
            case LoginOutcome.NeedsSecondFactor n -> secondFactor.browser(ctx, n, returnTo);
            case LoginOutcome.Rejected r -> views.render(ctx, 401, "login.jte",
                    page(ctx, rawEmail, Optional.of(r.why().message()), Optional.empty(), returnTo));
            case LoginOutcome.Throttled t -> {
                ctx.header("Retry-After", Long.toString(seconds(t.retryAfter())));
                views.render(ctx, 429, "login.jte", page(ctx, rawEmail, Optional.of(throttledMessage(t)), Optional.empty(), returnTo));
            }
            case LoginOutcome.ChallengeRequired c -> {
                ctx.header("Retry-After", "1");
                // page() already lets the login page load its same-origin scripts, the proof-of-work solver among them.
                var page = page(ctx, rawEmail, Optional.of("Please enter your password again. Your browser does a short security check first."),
                        Optional.empty(), returnTo);
                views.render(ctx, 429, "login.jte", new Pages.Login(page.nav(), page.csrf(), page.email(), page.error(), page.notice(),
                        page.returnTo(), Optional.of(new Pages.Pow(c.challenge().value(), c.challenge().bits()))));
            }
        }
    }

    /** The identifier as typed is what the guard counts (hashed), the same whether or not it is an account. */
    private LoginOutcome login(Context ctx, String rawEmail, Password password, Optional<LoginGuard.Solution> solution) {
        var parsed = Email.parse(rawEmail);
        String identifier = parsed.map(Email::value).orElse(rawEmail);
        var attempt = new LoginGuard.Attempt(identifier, Clients.of(ctx), solution, guard.trust(ctx, identifier));
        var outcome = parsed.map(email -> login.login(email, password, Authn.session(ctx), attempt))
                .orElseGet(() -> login.rejectMalformed(rawEmail, password, attempt));
        if (outcome instanceof LoginOutcome.Authenticated || outcome instanceof LoginOutcome.NeedsSecondFactor) guard.rememberDevice(ctx, identifier);
        return outcome;
    }

    private static long seconds(java.time.Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }

    private static String throttledMessage(LoginOutcome.Throttled t) {
        return "Too many login attempts. Please try again in " + seconds(t.retryAfter()) + " seconds. If this is your account, "
                + "the link we mailed you lets you in at once, and you can always reset your password.";
    }

    public void logout(Context ctx) {
        Authn.session(ctx).ifPresent(s -> sessions.logout(s, Clients.of(ctx)));
        authn.end(ctx);
        ctx.redirect(LoginPaths.FORM + "?loggedOut=1", HttpStatus.SEE_OTHER);
    }

    /** POST /api/v1/session {email, password} → 200 {csrfToken, expiresAt} and the session cookie. */
    public void apiLogin(Context ctx) {
        var body = JsonBody.read(ctx, Set.of("email", "password"), Set.of("challenge", "nonce"));
        String rawEmail = body.text("email");
        var password = new Password(body.text("password"));
        var solution = body.optionalText("challenge").map(c -> new LoginGuard.Solution(c, body.optionalText("nonce").orElse("")));
        var outcome = login(ctx, rawEmail, password, solution);
        switch (outcome) {
            case LoginOutcome.Authenticated a -> {
                authn.begin(ctx, a.session());
                Session s = a.session().session();
                Json.write(ctx, 200, new SessionCreated(csrf.sessionToken(s), s.expiresAt().toString()));
            }
            case LoginOutcome.NeedsSecondFactor n -> secondFactor.api(ctx, n);
            case LoginOutcome.Rejected r -> throw new ProblemException(401, r.why().id(), r.why().message());
            case LoginOutcome.Throttled t -> {
                ctx.header("Retry-After", Long.toString(seconds(t.retryAfter())));
                throw new ProblemException(429, "login.throttled", throttledMessage(t), java.util.Map.of("limit", t.limit()));
            }
            case LoginOutcome.ChallengeRequired c -> {
                ctx.header("Retry-After", "1");
                throw new ProblemException(429, "login.challenge_required",
                        "Solve the proof of work: find a nonce (1-32 letters or digits) such that SHA-256(challenge + nonce) starts with "
                                + c.challenge().bits() + " zero bits, then send the login again with {challenge, nonce}.",
                        java.util.Map.of("challenge", c.challenge().value(), "bits", c.challenge().bits()));
            }
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
