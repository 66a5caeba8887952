package dev.doorman.web;

import dev.doorman.session.Session;
import dev.doorman.session.SessionService;
import dev.doorman.session.SessionSettings;
import io.javalin.http.Context;

import java.util.Optional;

/**
 * Resolves the session cookie once per request (a before-handler) and answers "who is calling" afterwards.
 * A cookie that names no live session is cleared, and the request is anonymous. Session ids in URLs are never read.
 */
public final class Authn {
    private static final String ATTRIBUTE = "doorman.session";

    private final SessionService sessions;
    private final SessionSettings settings;
    private final Cookies cookies;

    public Authn(SessionService sessions, Cookies cookies) {
        this.sessions = sessions;
        this.settings = sessions.settings();
        this.cookies = cookies;
    }

    public void resolve(Context ctx) {
        if (ctx.path().startsWith(AssetPaths.PREFIX) || ctx.path().startsWith("/health/")) return;
        String token = ctx.cookie(settings.sessionCookieName());
        if (token == null || token.isEmpty()) return;
        Optional<Session> session = sessions.resolve(token);
        if (session.isPresent()) ctx.attribute(ATTRIBUTE, session.get());
        else cookies.clear(ctx, settings.sessionCookieName());
    }

    public static Optional<Session> session(Context ctx) {
        return Optional.ofNullable(ctx.attribute(ATTRIBUTE));
    }

    /** Starts a session on this response: sets its cookie and makes it the request's session. */
    public void begin(Context ctx, SessionService.Established established) {
        cookies.set(ctx, settings.sessionCookieName(), established.token());
        cookies.clear(ctx, settings.preSessionCookieName());
        ctx.attribute(ATTRIBUTE, established.session());
    }

    /** Ends the session on this response: clears the cookie, and tells the browser to drop what it kept. */
    public void end(Context ctx) {
        cookies.clear(ctx, settings.sessionCookieName());
        ctx.header("Clear-Site-Data", "\"cache\", \"cookies\"");
        ctx.attribute(ATTRIBUTE, null);
    }
}
