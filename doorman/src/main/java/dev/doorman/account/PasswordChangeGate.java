package dev.doorman.account;

import dev.doorman.login.LoginPaths;
import dev.doorman.session.Session;
import dev.doorman.web.ApiPaths;
import dev.doorman.web.AssetPaths;
import dev.doorman.web.Authn;
import dev.doorman.web.ProblemException;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;

import java.util.Optional;
import java.util.Set;

/**
 * A before-handler: a session whose account must change its password ({@link ForcedPasswordChange}) reaches only the
 * account page, the password change and logout. Pages are sent to the account page (which says why); the JSON API
 * answers 403 {@code password.change_required}; OAuth requests that carry the session (authorize, consent) go to the
 * account page too, so no application gets a login from it meanwhile.
 */
public final class PasswordChangeGate {
    private static final Set<String> ALLOWED = Set.of(AccountPaths.PAGE, AccountPaths.CHANGE_PASSWORD, AccountPaths.API_PASSWORD,
            AccountPaths.API_ME, LoginPaths.LOGOUT, LoginPaths.API_SESSION, LoginPaths.FORM);

    private final ForcedPasswordChange forced;

    public PasswordChangeGate(ForcedPasswordChange forced) {
        this.forced = forced;
    }

    public void check(Context ctx) {
        Optional<Session> session = Authn.session(ctx);
        if (session.isEmpty() || ALLOWED.contains(ctx.path()) || ctx.path().startsWith(AssetPaths.PREFIX) || ctx.path().startsWith("/health/"))
            return;
        if (!forced.isRequired(session.get().user())) return;
        if (ctx.path().startsWith(ApiPaths.PREFIX))
            throw new ProblemException(403, "password.change_required",
                    "Your password appears in a list of breached passwords. Change it before doing anything else.");
        ctx.redirect(AccountPaths.PAGE, ctx.method() == HandlerType.GET ? HttpStatus.FOUND : HttpStatus.SEE_OTHER);
        ctx.skipRemainingHandlers();
    }
}
