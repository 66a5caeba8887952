package dev.doorman.mfa;

import dev.doorman.login.LoginPaths;
import dev.doorman.session.Session;
import dev.doorman.web.ApiPaths;
import dev.doorman.web.Authn;
import dev.doorman.web.Layout;
import dev.doorman.web.ProblemException;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Step-up for an embedding app: "this action needs a second factor within the last N minutes". A browser without
 * one is sent through the challenge and back to the same (same-origin) URL; an API caller gets 401
 * {@code mfa.step_up_required} and re-authenticates at {@link MfaPaths#API_STEP_UP}.
 */
public final class StepUpGate {
    private final MfaService mfa;

    public StepUpGate(MfaService mfa) {
        this.mfa = mfa;
    }

    /**
     * True when the caller passed a second factor within {@code within}; otherwise the response is written (a
     * redirect, or a problem) and the caller's handler should return.
     */
    public boolean require(Context ctx, Duration within) {
        Optional<Session> session = Authn.session(ctx);
        boolean api = ctx.path().startsWith(ApiPaths.PREFIX) || acceptsJsonOnly(ctx);
        String here = Layout.safeReturnTo(ctx.queryString() == null ? ctx.path() : ctx.path() + "?" + ctx.queryString());
        if (session.isEmpty()) {
            if (api) throw new ProblemException(401, "auth.unauthenticated", "You are not logged in.");
            ctx.redirect(LoginPaths.FORM + "?returnTo=" + encode(here), HttpStatus.SEE_OTHER);
            return false;
        }
        if (mfa.secondFactorWithin(session.get(), within)) return true;
        if (!mfa.factors(session.get().user()).any())
            throw new ProblemException(403, "mfa.not_enrolled", "This needs two-factor authentication. Set it up on your account page first.");
        if (api) throw new ProblemException(401, "mfa.step_up_required",
                "This needs a second factor within the last " + within.toMinutes() + " minutes: POST " + MfaPaths.API_STEP_UP + " first.");
        ctx.redirect(MfaPaths.STEP_UP + "?returnTo=" + encode(here), HttpStatus.SEE_OTHER);
        return false;
    }

    /** The same as a before-handler: {@code config.routes.beforeMatched("/payments/*", doorman.secondFactorWithin(Duration.ofMinutes(5)))}, registered after Doorman's own (which resolve the session). */
    public Handler within(Duration within) {
        return ctx -> {
            if (!require(ctx, within)) ctx.skipRemainingHandlers();
        };
    }

    private static boolean acceptsJsonOnly(Context ctx) {
        String accept = ctx.header("Accept");
        return accept != null && accept.contains("application/json") && !accept.contains("text/html");
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
