package dev.doorman.mfa;

import dev.doorman.account.User;
import dev.doorman.account.UserStore;

import dev.doorman.session.Session;
import dev.doorman.web.Authn;
import dev.doorman.web.Clients;
import dev.doorman.web.Cookies;
import dev.doorman.web.Csrf;
import dev.doorman.web.Forms;
import dev.doorman.web.Json;
import dev.doorman.web.JsonBody;
import dev.doorman.web.Layout;
import dev.doorman.web.ProblemException;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The HTTP edge of passkeys: WebAuthn options and responses as JSON (what the pages' script and API clients send),
 * and the account page's list, rename and remove.
 */
public final class PasskeyEndpoint {
    public static final String API_OPTIONS = "/api/v1/passkeys/options";
    public static final String API_REGISTER = "/api/v1/passkeys/register";
    public static final String API_AUTHENTICATE = "/api/v1/passkeys/authenticate";
    public static final String API_MINE = "/api/v1/me/passkeys";
    public static final String API_ONE = "/api/v1/me/passkeys/{id}";
    public static final String RENAME = "/account/mfa/passkeys/{id}/rename";
    public static final String REMOVE = "/account/mfa/passkeys/{id}/remove";

    public record PasskeyView(String id, String name, String createdAt, String lastUsedAt, boolean backupEligible, boolean backupState,
                              boolean passwordless, long signCount) { }

    public record Registered(String id, List<String> recoveryCodes) { }

    /** Where the script goes next. */
    public record Done(String redirect, String csrfToken, List<String> recoveryCodes) { }

    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final PasskeyService passkeys;
    private final MfaService mfa;
    private final MfaLoginService logins;
    private final StepUpService stepUp;
    private final UserStore users;
    private final Authn authn;
    private final Csrf csrf;
    private final Cookies cookies;
    private final String challengeCookie;

    public PasskeyEndpoint(PasskeyService passkeys, MfaService mfa, MfaLoginService logins, StepUpService stepUp, UserStore users, Authn authn,
                           Csrf csrf, Cookies cookies, String challengeCookie) {
        this.passkeys = passkeys;
        this.mfa = mfa;
        this.logins = logins;
        this.stepUp = stepUp;
        this.users = users;
        this.authn = authn;
        this.csrf = csrf;
        this.cookies = cookies;
        this.challengeCookie = challengeCookie;
    }

    /** Rows for the settings page. */
    public List<MfaPages.PasskeyRow> rows(User user) {
        return passkeys.list(user.id()).stream().map(p -> new MfaPages.PasskeyRow(p.id(), p.name(), SHOWN.format(p.createdAt()),
                p.lastUsedAt().map(SHOWN::format).orElse("never"), p.backupEligible(), p.passwordless())).toList();
    }

    /** POST /api/v1/passkeys/options {purpose: register | second_factor | step_up | passwordless} */
    public void options(Context ctx) {
        var body = JsonBody.read(ctx, Set.of("purpose"), Set.of());
        Map<String, Object> options = switch (body.text("purpose")) {
            case "register" -> {
                Session session = MfaEndpoint.requireRecentApiSession(ctx, mfa);
                yield passkeys.registrationOptions(user(session), session.id());
            }
            case "second_factor" -> logins.passkeyOptions(challengeToken(ctx))
                    .orElseThrow(() -> new ProblemException(401, "mfa.challenge_expired", "This login has expired. Log in again with your password."));
            case "step_up" -> stepUp.passkeyOptions(MfaEndpoint.requireApiSession(ctx));
            case "passwordless" -> passkeys.requestOptions(CeremonyStore.Purpose.PASSWORDLESS, Optional.empty(), Optional.empty());
            default -> throw new ProblemException(400, "request.invalid_purpose", "purpose must be register, second_factor, step_up or passwordless.");
        };
        Json.write(ctx, 200, options);
    }

    /** POST /api/v1/passkeys/register {name, passwordless, credential} → 201 {id, recoveryCodes} */
    public void register(Context ctx) {
        Session session = MfaEndpoint.requireRecentApiSession(ctx, mfa);
        var body = JsonBody.read(ctx, Set.of("name", "credential"), Set.of("passwordless"));
        User user = user(session);
        boolean hadFactor = mfa.factors(user.id()).any();
        switch (passkeys.register(user, session.id(), body.text("name"), body.optionalBoolean("passwordless").orElse(false),
                body.object("credential"), Clients.of(ctx))) {
            case PasskeyOutcome.Registered r -> Json.write(ctx, 201, new Registered(r.passkey().id(),
                    hadFactor ? List.of() : mfa.recoveryCodesIfNone(user.id())));
            case PasskeyOutcome.Rejected r -> throw new ProblemException(400, r.id(), r.message());
            case PasskeyOutcome.Verified v -> throw new IllegalStateException("a registration does not verify an assertion");
        }
    }

    /** POST /api/v1/passkeys/authenticate {purpose, credential, returnTo?} → 200 {redirect, csrfToken} and a session cookie. */
    public void authenticate(Context ctx) {
        var body = JsonBody.read(ctx, Set.of("purpose", "credential"), Set.of("returnTo"));
        String credential = body.object("credential");
        String returnTo = Layout.safeReturnTo(body.optionalText("returnTo").orElse(null));
        switch (body.text("purpose")) {
            case "second_factor" -> loginDone(ctx, logins.submitPasskey(challengeToken(ctx), credential, Clients.of(ctx)), true);
            case "passwordless" -> loginDone(ctx, logins.passwordless(credential, Authn.session(ctx).map(Session::id), returnTo, Clients.of(ctx)), false);
            case "step_up" -> {
                switch (stepUp.withPasskey(MfaEndpoint.requireApiSession(ctx), credential, Clients.of(ctx))) {
                    case StepUpOutcome.Elevated e -> {
                        authn.begin(ctx, e.session());
                        Json.write(ctx, 200, new Done(returnTo, csrf.sessionToken(e.session().session()), List.of()));
                    }
                    case StepUpOutcome.Wrong w -> throw new ProblemException(401, w.id(), w.message());
                    case StepUpOutcome.Locked l -> throw tooMany();
                    case StepUpOutcome.Gone g -> throw new ProblemException(401, "auth.unauthenticated", "You are not logged in.");
                }
            }
            default -> throw new ProblemException(400, "request.invalid_purpose", "purpose must be second_factor, step_up or passwordless.");
        }
    }

    private void loginDone(Context ctx, ChallengeOutcome outcome, boolean challenge) {
        switch (outcome) {
            case ChallengeOutcome.Completed c -> {
                if (challenge) cookies.clear(ctx, challengeCookie);
                authn.begin(ctx, c.session());
                Json.write(ctx, 200, new Done(Layout.safeReturnTo(c.returnTo()), csrf.sessionToken(c.session().session()), c.recoveryCodes()));
            }
            case ChallengeOutcome.Wrong w -> throw new ProblemException(401, w.id(), w.message());
            case ChallengeOutcome.Expired e -> {
                cookies.clear(ctx, challengeCookie);
                throw new ProblemException(401, "mfa.challenge_expired", "This login has expired. Log in again with your password.");
            }
            case ChallengeOutcome.Locked l -> throw tooMany();
        }
    }

    /** GET /api/v1/me/passkeys */
    public void apiList(Context ctx) {
        Session session = MfaEndpoint.requireApiSession(ctx);
        Json.write(ctx, 200, passkeys.list(session.user()).stream().map(p -> new PasskeyView(p.id(), p.name(), p.createdAt().toString(),
                p.lastUsedAt().map(Object::toString).orElse(null), p.backupEligible(), p.backupState(), p.passwordless(), p.signCount())).toList());
    }

    /** PATCH /api/v1/me/passkeys/{id} {name} → 204 */
    public void apiRename(Context ctx) {
        Session session = MfaEndpoint.requireApiSession(ctx);
        var body = JsonBody.read(ctx, Set.of("name"), Set.of());
        if (!passkeys.rename(session.user(), ctx.pathParam("id"), body.text("name"), Clients.of(ctx)))
            throw new ProblemException(404, "passkey.not_found", "There is no such passkey, or the name is empty or longer than 100 characters.");
        ctx.status(204);
    }

    /** DELETE /api/v1/me/passkeys/{id} → 204 (needs a recent proof, SE-09) */
    public void apiRemove(Context ctx) {
        Session session = MfaEndpoint.requireRecentApiSession(ctx, mfa);
        if (!passkeys.remove(user(session), ctx.pathParam("id"), Optional.of(session.id()), Clients.of(ctx)))
            throw new ProblemException(404, "passkey.not_found", "There is no such passkey.");
        ctx.status(204);
    }

    /** POST /account/mfa/passkeys/{id}/rename {name} */
    public void rename(Context ctx) {
        Forms.requireForm(ctx);
        Session session = MfaEndpoint.requirePageSession(ctx);
        if (session == null) return;
        if (!passkeys.rename(session.user(), ctx.pathParam("id"), Forms.field(ctx, "name"), Clients.of(ctx)))
            throw new ProblemException(404, "passkey.not_found", "There is no such passkey, or the name is empty or longer than 100 characters.");
        ctx.redirect(MfaPaths.SETTINGS, HttpStatus.SEE_OTHER);
    }

    /** POST /account/mfa/passkeys/{id}/remove */
    public void remove(Context ctx) {
        Session session = MfaEndpoint.requirePageSession(ctx);
        if (session == null) return;
        if (!mfa.recentlyAuthenticated(session)) {
            ctx.redirect(MfaPaths.STEP_UP + "?returnTo=" + MfaPaths.SETTINGS, HttpStatus.SEE_OTHER);
            return;
        }
        if (!passkeys.remove(user(session), ctx.pathParam("id"), Optional.of(session.id()), Clients.of(ctx)))
            throw new ProblemException(404, "passkey.not_found", "There is no such passkey.");
        ctx.redirect(MfaPaths.SETTINGS + "?done=removed", HttpStatus.SEE_OTHER);
    }

    private String challengeToken(Context ctx) {
        return Optional.ofNullable(ctx.cookie(challengeCookie)).orElse("");
    }

    private User user(Session session) {
        return MfaEndpoint.activeUser(users, session);
    }

    private static ProblemException tooMany() {
        return new ProblemException(429, "mfa.too_many_attempts", "Too many wrong attempts for this account. Try again later.");
    }

}
