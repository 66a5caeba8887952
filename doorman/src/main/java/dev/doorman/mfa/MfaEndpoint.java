package dev.doorman.mfa;

import dev.doorman.account.Password;
import dev.doorman.account.User;
import dev.doorman.account.UserStore;
import dev.doorman.login.LoginEndpoint;
import dev.doorman.login.LoginOutcome;
import dev.doorman.login.LoginPaths;
import dev.doorman.login.SecondFactorHandoff;
import dev.doorman.session.Session;
import dev.doorman.session.SessionSettings;
import dev.doorman.web.Authn;
import dev.doorman.web.Clients;
import dev.doorman.web.Cookies;
import dev.doorman.web.Csrf;
import dev.doorman.web.Forms;
import dev.doorman.web.Json;
import dev.doorman.web.JsonBody;
import dev.doorman.web.Layout;
import dev.doorman.web.Pages;
import dev.doorman.web.ProblemException;
import dev.doorman.web.SecurityHeaders;
import dev.doorman.web.Views;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** The HTTP edge of second factors: the login's second step, step-up, and the account's factor settings (pages and JSON). */
public final class MfaEndpoint implements SecondFactorHandoff {
    /** The JSON login's answer when a second factor must follow. */
    public record SecondFactorRequired(boolean secondFactorRequired, boolean enrollmentRequired, List<String> methods) { }

    public record FactorsView(boolean totp, int recoveryCodes, int passkeys) { }

    public record TotpSetupView(String secret, String uri) { }

    public record RecoveryCodesView(List<String> recoveryCodes) { }

    private final MfaService mfa;
    private final MfaLoginService logins;
    private final StepUpService stepUp;
    private final UserStore users;
    private final Authn authn;
    private final Csrf csrf;
    private final Cookies cookies;
    private final String cookieName;
    private final Views views;
    private final Layout layout;
    private final Function<String, List<URI>> formTargets;
    private final Function<User, List<MfaPages.PasskeyRow>> passkeyRows;
    private final boolean passkeysEnabled;

    /**
     * @param formTargets where a completed login may be sent (an authorization request's client), for the CSP's form-action
     * @param passkeyRows the user's passkeys for the settings page
     */
    public MfaEndpoint(MfaService mfa, MfaLoginService logins, StepUpService stepUp, UserStore users, Authn authn, Csrf csrf, Cookies cookies,
                       SessionSettings sessionSettings, Views views, Layout layout, Function<String, List<URI>> formTargets,
                       Function<User, List<MfaPages.PasskeyRow>> passkeyRows, boolean passkeysEnabled) {
        this.mfa = mfa;
        this.logins = logins;
        this.stepUp = stepUp;
        this.users = users;
        this.authn = authn;
        this.csrf = csrf;
        this.cookies = cookies;
        this.cookieName = challengeCookieName(sessionSettings);
        this.views = views;
        this.layout = layout;
        this.formTargets = formTargets;
        this.passkeyRows = passkeyRows;
        this.passkeysEnabled = passkeysEnabled;
    }

    public static String challengeCookieName(SessionSettings settings) {
        return (settings.hostPrefix() ? "__Host-" : "") + "doorman_mfa";
    }

    // ---- the login's second step ----

    @Override
    public void browser(Context ctx, LoginOutcome.NeedsSecondFactor pending, String returnTo) {
        begin(ctx, pending, returnTo);
        ctx.redirect(MfaPaths.CHALLENGE, HttpStatus.SEE_OTHER);
    }

    @Override
    public void api(Context ctx, LoginOutcome.NeedsSecondFactor pending) {
        begin(ctx, pending, "/account");
        var factors = mfa.factors(pending.user().id());
        var methods = new ArrayList<String>();
        if (factors.totp()) methods.add("totp");
        if (factors.recoveryCodes() > 0) methods.add("recovery_code");
        if (factors.passkeys() > 0) methods.add("webauthn");
        if (!factors.any()) methods.add("totp_enrollment");
        Json.write(ctx, 202, new SecondFactorRequired(true, !factors.any(), methods));
    }

    private void begin(Context ctx, LoginOutcome.NeedsSecondFactor pending, String returnTo) {
        Optional.ofNullable(ctx.cookie(cookieName)).ifPresent(logins::cancel);
        String token = logins.begin(pending.user(), pending.passwordHash(), pending.previous(), returnTo, Clients.of(ctx));
        cookies.set(ctx, cookieName, token);
    }

    /** GET /login/mfa */
    public void challengePage(Context ctx) {
        var view = logins.view(Optional.ofNullable(ctx.cookie(cookieName)).orElse(""));
        if (view.isEmpty()) {
            cookies.clear(ctx, cookieName);
            ctx.redirect(LoginPaths.FORM, HttpStatus.SEE_OTHER);
            return;
        }
        renderChallenge(ctx, 200, view.get(), Optional.empty());
    }

    /** POST /login/mfa {code} */
    public void challengeSubmit(Context ctx) {
        Forms.requireForm(ctx);
        String token = Optional.ofNullable(ctx.cookie(cookieName)).orElse("");
        switch (logins.submitCode(token, Forms.field(ctx, "code"), Clients.of(ctx))) {
            case ChallengeOutcome.Completed c -> {
                cookies.clear(ctx, cookieName);
                authn.begin(ctx, c.session());
                String returnTo = Layout.safeReturnTo(c.returnTo());
                if (c.recoveryCodes().isEmpty()) {
                    SecurityHeaders.allowFormAction(ctx, formTargets.apply(returnTo));
                    ctx.redirect(returnTo, HttpStatus.SEE_OTHER);
                } else {
                    views.render(ctx, 200, "mfa-recovery-codes.jte", new MfaPages.RecoveryCodesShown(layout.nav(ctx), c.recoveryCodes(), returnTo));
                }
            }
            case ChallengeOutcome.Wrong w -> logins.view(token).ifPresentOrElse(v -> renderChallenge(ctx, 401, v, Optional.of(w.message())),
                    () -> expired(ctx));
            case ChallengeOutcome.Expired e -> expired(ctx);
            case ChallengeOutcome.Locked l -> locked(ctx);
        }
    }

    /** POST /api/v1/session/mfa {code} → 200 {csrfToken, expiresAt} and the session cookie. */
    public void apiChallenge(Context ctx) {
        var body = JsonBody.read(ctx, Set.of("code"), Set.of());
        String token = Optional.ofNullable(ctx.cookie(cookieName)).orElse("");
        switch (logins.submitCode(token, body.text("code"), Clients.of(ctx))) {
            case ChallengeOutcome.Completed c -> {
                cookies.clear(ctx, cookieName);
                authn.begin(ctx, c.session());
                Session s = c.session().session();
                if (c.recoveryCodes().isEmpty()) Json.write(ctx, 200, new LoginEndpoint.SessionCreated(csrf.sessionToken(s), s.expiresAt().toString()));
                else Json.write(ctx, 200, new EnrolledSession(csrf.sessionToken(s), s.expiresAt().toString(), c.recoveryCodes()));
            }
            case ChallengeOutcome.Wrong w -> throw new ProblemException(401, w.id(), w.message());
            case ChallengeOutcome.Expired e -> {
                cookies.clear(ctx, cookieName);
                throw new ProblemException(401, "mfa.challenge_expired", "This login has expired. Log in again with your password.");
            }
            case ChallengeOutcome.Locked l -> throw new ProblemException(429, "mfa.too_many_attempts",
                    "Too many wrong codes for this account. Try again later.");
        }
    }

    /** A login that enrolled its first factor: the session, and the recovery codes shown this once. */
    public record EnrolledSession(String csrfToken, String expiresAt, List<String> recoveryCodes) { }

    private void renderChallenge(Context ctx, int status, MfaLoginService.ChallengeView v, Optional<String> error) {
        SecurityHeaders.allowScripts(ctx);
        views.render(ctx, status, "mfa-challenge.jte", new MfaPages.Challenge(layout.nav(ctx), layout.csrf(ctx), v.factors().totp(),
                v.factors().recoveryCodes(), v.factors().passkeys(), v.enrollment(), error));
    }

    private void expired(Context ctx) {
        cookies.clear(ctx, cookieName);
        views.render(ctx, 401, "message.jte", new Pages.Message(layout.nav(ctx), "This login has expired",
                "Log in again with your password.", Optional.of(new Pages.Link(LoginPaths.FORM, "Log in"))));
    }

    private void locked(Context ctx) {
        views.render(ctx, 429, "message.jte", new Pages.Message(layout.nav(ctx), "Too many attempts",
                "There were too many wrong codes for this account. Try again later.", Optional.empty()));
    }

    // ---- step-up ----

    /** GET /mfa/step-up?returnTo=… */
    public void stepUpPage(Context ctx) {
        String returnTo = Layout.safeReturnTo(ctx.queryParam("returnTo"));
        Optional<Session> session = Authn.session(ctx);
        if (session.isEmpty()) {
            ctx.redirect(LoginPaths.FORM + "?returnTo=" + encode(returnTo), HttpStatus.SEE_OTHER);
            return;
        }
        renderStepUp(ctx, 200, session.get(), returnTo, Optional.empty());
    }

    /** POST /mfa/step-up {code | password, returnTo} */
    public void stepUpSubmit(Context ctx) {
        Forms.requireForm(ctx);
        String returnTo = Layout.safeReturnTo(Forms.field(ctx, "returnTo"));
        Optional<Session> session = Authn.session(ctx);
        if (session.isEmpty()) {
            ctx.redirect(LoginPaths.FORM + "?returnTo=" + encode(returnTo), HttpStatus.SEE_OTHER);
            return;
        }
        var outcome = stepUp.usesSecondFactor(session.get())
                ? stepUp.withCode(session.get(), Forms.field(ctx, "code"), Clients.of(ctx))
                : stepUp.withPassword(session.get(), new Password(Forms.field(ctx, "password")), Clients.of(ctx));
        switch (outcome) {
            case StepUpOutcome.Elevated e -> {
                authn.begin(ctx, e.session());
                SecurityHeaders.allowFormAction(ctx, formTargets.apply(returnTo));
                ctx.redirect(returnTo, HttpStatus.SEE_OTHER);
            }
            case StepUpOutcome.Wrong w -> renderStepUp(ctx, 401, session.get(), returnTo, Optional.of(w.message()));
            case StepUpOutcome.Locked l -> locked(ctx);
            case StepUpOutcome.Gone g -> {
                authn.end(ctx);
                ctx.redirect(LoginPaths.FORM + "?returnTo=" + encode(returnTo), HttpStatus.SEE_OTHER);
            }
        }
    }

    /** POST /api/v1/session/step-up {code} or {password} → 200 {csrfToken, expiresAt} and the session's new cookie. */
    public void apiStepUp(Context ctx) {
        Session session = requireApiSession(ctx);
        var body = JsonBody.read(ctx, Set.of(), Set.of("code", "password"));
        boolean secondFactor = stepUp.usesSecondFactor(session);
        String field = secondFactor ? "code" : "password";
        String value = body.optionalText(field).orElseThrow(() -> new ProblemException(400, "request.missing_field",
                secondFactor ? "Send the code from your authenticator app or a recovery code (code)." : "Send your password (password)."));
        var outcome = secondFactor ? stepUp.withCode(session, value, Clients.of(ctx)) : stepUp.withPassword(session, new Password(value), Clients.of(ctx));
        switch (outcome) {
            case StepUpOutcome.Elevated e -> {
                authn.begin(ctx, e.session());
                Session s = e.session().session();
                Json.write(ctx, 200, new LoginEndpoint.SessionCreated(csrf.sessionToken(s), s.expiresAt().toString()));
            }
            case StepUpOutcome.Wrong w -> throw new ProblemException(401, w.id(), w.message());
            case StepUpOutcome.Locked l -> throw new ProblemException(429, "mfa.too_many_attempts", "Too many wrong codes for this account. Try again later.");
            case StepUpOutcome.Gone g -> throw new ProblemException(401, "auth.unauthenticated", "You are not logged in.");
        }
    }

    private void renderStepUp(Context ctx, int status, Session session, String returnTo, Optional<String> error) {
        SecurityHeaders.allowFormAction(ctx, formTargets.apply(returnTo));
        SecurityHeaders.allowScripts(ctx);
        views.render(ctx, status, "mfa-step-up.jte", new MfaPages.StepUp(layout.nav(ctx), layout.csrf(ctx), stepUp.usesSecondFactor(session),
                mfa.factors(session.user()).passkeys() > 0, returnTo, error));
    }

    // ---- the account's factors ----

    /** GET /account/mfa */
    public void settingsPage(Context ctx) {
        Session session = requirePageSession(ctx);
        if (session == null) return;
        Optional<String> notice = switch (Optional.ofNullable(ctx.queryParam("done")).orElse("")) {
            case "totp" -> Optional.of("Your authenticator app is set up. From now on, logins and sensitive changes ask for a code from it.");
            case "removed" -> Optional.of("The second factor was removed. Every other session was logged out.");
            case "passkey" -> Optional.of("The passkey was saved.");
            default -> Optional.empty();
        };
        renderSettings(ctx, 200, session, notice, Optional.empty());
    }

    /** POST /account/mfa/totp: a new secret, shown with its QR code. */
    public void totpStart(Context ctx) {
        Session session = requireRecentPageSession(ctx);
        if (session == null) return;
        User user = user(session);
        if (mfa.factors(user.id()).totp()) {
            renderSettings(ctx, 409, session, Optional.empty(), Optional.of("An authenticator app is already set up. Remove it first to set up another."));
            return;
        }
        renderTotpSetup(ctx, 200, mfa.startTotp(user), Optional.empty());
    }

    /**
     * POST /account/mfa/totp/confirm {code}
     *
     * <p>Enrolling is no second-factor proof for this session: the code comes from an authenticator the session itself
     * just chose, so a session holding only the password (a hijacked one, say) would otherwise bind its own authenticator
     * and pass "a second factor within N minutes". The session keeps its amr and second-factor time; the next sensitive
     * action steps up with a later code of the new authenticator. (The login's forced enrollment differs: see
     * {@link MfaLoginService}.)
     */
    public void totpConfirm(Context ctx) {
        Forms.requireForm(ctx);
        Session session = requireRecentPageSession(ctx);
        if (session == null) return;
        User user = user(session);
        switch (mfa.confirmTotp(user, Forms.field(ctx, "code"), Clients.of(ctx))) {
            case MfaService.EnrollOutcome.Confirmed c -> {
                // No elevation (see above). The settings page needs no recent proof: the user lands there, not in a step-up.
                if (c.recoveryCodes().isEmpty()) ctx.redirect(MfaPaths.SETTINGS + "?done=totp", HttpStatus.SEE_OTHER);
                else views.render(ctx, 200, "mfa-recovery-codes.jte", new MfaPages.RecoveryCodesShown(layout.nav(ctx), c.recoveryCodes(),
                        MfaPaths.SETTINGS + "?done=totp"));
            }
            case MfaService.EnrollOutcome.Rejected r -> mfa.pendingTotp(user).ifPresentOrElse(
                    e -> renderTotpSetup(ctx, 400, e, Optional.of(r.message())),
                    () -> renderSettings(ctx, 400, session, Optional.empty(), Optional.of(r.message())));
        }
    }

    /** POST /account/mfa/totp/remove */
    public void totpRemove(Context ctx) {
        Session session = requireRecentPageSession(ctx);
        if (session == null) return;
        if (!mfa.removeTotp(user(session), Optional.of(session.id()), Clients.of(ctx))) {
            renderSettings(ctx, 404, session, Optional.empty(), Optional.of("No authenticator app is set up."));
            return;
        }
        ctx.redirect(MfaPaths.SETTINGS + "?done=removed", HttpStatus.SEE_OTHER);
    }

    /** POST /account/mfa/recovery-codes: ten new codes, the old ones die. */
    public void recoveryCodesRegenerate(Context ctx) {
        Session session = requireRecentPageSession(ctx);
        if (session == null) return;
        User user = user(session);
        if (!mfa.factors(user.id()).any()) {
            renderSettings(ctx, 409, session, Optional.empty(), Optional.of("Set up a second factor first."));
            return;
        }
        views.render(ctx, 200, "mfa-recovery-codes.jte", new MfaPages.RecoveryCodesShown(layout.nav(ctx),
                mfa.regenerateRecoveryCodes(user, Clients.of(ctx)), MfaPaths.SETTINGS));
    }

    /** GET /api/v1/me/mfa */
    public void apiFactors(Context ctx) {
        var f = mfa.factors(requireApiSession(ctx).user());
        Json.write(ctx, 200, new FactorsView(f.totp(), f.recoveryCodes(), f.passkeys()));
    }

    /** POST /api/v1/me/mfa/totp → 200 {secret, uri}: the pending secret, to confirm with a code. */
    public void apiTotpStart(Context ctx) {
        User user = user(requireRecentApiSession(ctx));
        if (mfa.factors(user.id()).totp())
            throw new ProblemException(409, "mfa.already_enrolled", "An authenticator app is already set up. Remove it first to set up another.");
        var e = mfa.startTotp(user);
        Json.write(ctx, 200, new TotpSetupView(e.secret(), e.uri()));
    }

    /**
     * POST /api/v1/me/mfa/totp/confirm {code} → 200 {recoveryCodes} (empty when the user already had codes). As on the page,
     * the session gains no second factor: a later step-up ({@link MfaPaths#API_STEP_UP}) uses the next code.
     */
    public void apiTotpConfirm(Context ctx) {
        Session session = requireRecentApiSession(ctx);
        var body = JsonBody.read(ctx, Set.of("code"), Set.of());
        switch (mfa.confirmTotp(user(session), body.text("code"), Clients.of(ctx))) {
            case MfaService.EnrollOutcome.Confirmed c -> Json.write(ctx, 200, new RecoveryCodesView(c.recoveryCodes()));
            case MfaService.EnrollOutcome.Rejected r -> throw new ProblemException(r.id().equals("mfa.already_enrolled") ? 409 : 400, r.id(), r.message());
        }
    }

    /** DELETE /api/v1/me/mfa/totp → 204 */
    public void apiTotpRemove(Context ctx) {
        Session session = requireRecentApiSession(ctx);
        if (!mfa.removeTotp(user(session), Optional.of(session.id()), Clients.of(ctx)))
            throw new ProblemException(404, "mfa.not_enrolled", "No authenticator app is set up.");
        ctx.status(204);
    }

    /** POST /api/v1/me/mfa/recovery-codes → 200 {recoveryCodes} */
    public void apiRecoveryCodes(Context ctx) {
        User user = user(requireRecentApiSession(ctx));
        if (!mfa.factors(user.id()).any()) throw new ProblemException(409, "mfa.not_enrolled", "Set up a second factor first.");
        Json.write(ctx, 200, new RecoveryCodesView(mfa.regenerateRecoveryCodes(user, Clients.of(ctx))));
    }

    private void renderSettings(Context ctx, int status, Session session, Optional<String> notice, Optional<String> error) {
        User user = user(session);
        var f = mfa.factors(user.id());
        SecurityHeaders.allowScripts(ctx);
        views.render(ctx, status, "mfa-settings.jte", new MfaPages.Settings(layout.nav(ctx), layout.csrf(ctx), f.totp(), f.recoveryCodes(),
                passkeyRows.apply(user), passkeysEnabled, notice, error));
    }

    private void renderTotpSetup(Context ctx, int status, MfaService.TotpEnrollment enrollment, Optional<String> error) {
        views.render(ctx, status, "mfa-totp-setup.jte", new MfaPages.TotpSetup(layout.nav(ctx), layout.csrf(ctx), enrollment,
                MfaPaths.TOTP_CONFIRM, error));
    }

    private User user(Session session) {
        return activeUser(users, session);
    }

    private Session requireRecentApiSession(Context ctx) {
        return requireRecentApiSession(ctx, mfa);
    }

    // Shared with PasskeyEndpoint: the factor settings of both answer the same callers the same way.

    /** The session's user, unless the account was disabled meanwhile (401 then). */
    static User activeUser(UserStore users, Session session) {
        return users.find(session.user()).filter(u -> !u.disabled())
                .orElseThrow(() -> new ProblemException(401, "auth.unauthenticated", "You are not logged in."));
    }

    static Session requireApiSession(Context ctx) {
        return Authn.session(ctx).orElseThrow(() -> new ProblemException(401, "auth.unauthenticated", "You are not logged in."));
    }

    /** SE-09: a sensitive change needs a recent proof; the API client re-authenticates at {@link MfaPaths#API_STEP_UP}. */
    static Session requireRecentApiSession(Context ctx, MfaService mfa) {
        Session session = requireApiSession(ctx);
        if (!mfa.recentlyAuthenticated(session))
            throw new ProblemException(401, "mfa.reauthentication_required",
                    "Prove it is you again first (POST " + MfaPaths.API_STEP_UP + "), then repeat this request.");
        return session;
    }

    /** The session, or null after redirecting to the login page (and back to the settings page). */
    static Session requirePageSession(Context ctx) {
        Optional<Session> session = Authn.session(ctx);
        if (session.isEmpty()) ctx.redirect(LoginPaths.FORM + "?returnTo=" + encode(MfaPaths.SETTINGS), HttpStatus.SEE_OTHER);
        return session.orElse(null);
    }

    /** A recent session, or null after sending the browser to prove it again (and back to the settings page). */
    private Session requireRecentPageSession(Context ctx) {
        Session session = requirePageSession(ctx);
        if (session != null && !mfa.recentlyAuthenticated(session)) {
            ctx.redirect(MfaPaths.STEP_UP + "?returnTo=" + encode(MfaPaths.SETTINGS), HttpStatus.SEE_OTHER);
            return null;
        }
        return session;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
