package dev.doorman.examples.logindemo;

import com.nimbusds.oauth2.sdk.id.State;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * A relying party that signs people in with Doorman (Authorization Code + PKCE) as a backend-for-frontend: the
 * browser only ever holds this app's own session cookie; codes are exchanged and tokens kept on the server.
 * Run it with {@code bin/example login-demo} (see the README's "Reference apps").
 */
public final class LoginDemo {
    private static final Logger LOG = LoggerFactory.getLogger(LoginDemo.class);
    static final String SESSION_COOKIE = "demo_session";
    static final String LOGIN_COOKIE = "demo_login";

    private final DemoSettings settings;
    private final OidcClient oidc;
    private final DemoSessions sessions;

    LoginDemo(DemoSettings settings, OidcClient oidc, DemoSessions sessions) {
        this.settings = settings;
        this.oidc = oidc;
        this.sessions = sessions;
    }

    /** Reads the provider's discovery document, then serves on the configured port (loopback only unless told). */
    public static Javalin start(DemoSettings settings, String host) throws Exception {
        var demo = new LoginDemo(settings, OidcClient.discover(settings), new DemoSessions(Clock.systemUTC()));
        return Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.routes.before(demo::headers);
            config.routes.get("/", demo::home);
            config.routes.get("/login", demo::login);
            config.routes.get("/callback", demo::callback);
            config.routes.post("/logout", demo::logout);
            config.routes.get("/logged-out", ctx -> page(ctx, 200, "Signed out", "<p>You are signed out of the demo and of Doorman.</p>"
                    + "<p><a href=\"/\">Back to the start</a></p>"));
        }).start(host, settings.port());
    }

    public static void main(String[] args) throws Exception {
        DemoSettings settings;
        try {
            settings = DemoSettings.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        try {
            start(settings, System.getenv().getOrDefault("LOGIN_DEMO_HOST", "127.0.0.1"));
        } catch (java.io.IOException e) {
            System.err.println("Cannot read " + settings.issuer() + "/.well-known/openid-configuration: is Doorman running? (" + e.getMessage() + ")");
            System.exit(1);
        }
        System.out.println("Login demo on " + settings.origin() + " — sign in with Doorman at " + settings.issuer());
    }

    private void headers(Context ctx) {
        ctx.header("Content-Security-Policy", "default-src 'none'; form-action 'self' " + oidc.issuerOrigin()
                + "; frame-ancestors 'none'; base-uri 'none'");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        // The callback URL carries the code: it must not leak to anything the page links to.
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
    }

    private void home(Context ctx) {
        Optional<DemoSessions.Session> session = sessions.find(ctx.cookie(SESSION_COOKIE));
        if (session.isEmpty()) {
            page(ctx, 200, "Login demo", "<p>This app signs you in with Doorman.</p><p><a id=\"sign-in\" href=\"/login\">Sign in with Doorman</a></p>");
            return;
        }
        var user = session.get().user();
        page(ctx, 200, "Your profile", "<dl>"
                + "<dt>Name</dt><dd id=\"name\">" + escape(user.name().orElse("(not shared)")) + "</dd>"
                + "<dt>E-mail</dt><dd id=\"email\">" + escape(user.email().orElse("(not shared)")) + "</dd>"
                + "<dt>Subject (sub)</dt><dd id=\"sub\">" + escape(user.subject()) + "</dd></dl>"
                + "<form method=\"post\" action=\"/logout\"><input type=\"hidden\" name=\"csrf\" value=\"" + escape(session.get().csrfToken())
                + "\"><button id=\"sign-out\" type=\"submit\">Sign out</button></form>");
    }

    private void login(Context ctx) {
        var pending = oidc.newLogin();
        setCookie(ctx, LOGIN_COOKIE, sessions.startLogin(pending), DemoSessions.LOGIN_TTL);
        ctx.redirect(oidc.authorizationUrl(pending).toString(), HttpStatus.SEE_OTHER);
    }

    private void callback(Context ctx) {
        Optional<OidcClient.PendingLogin> pending = sessions.takeLogin(ctx.cookie(LOGIN_COOKIE));
        clearCookie(ctx, LOGIN_COOKIE);
        if (pending.isEmpty()) {
            page(ctx, 400, "Sign-in expired", "<p>This sign-in has expired or was already used.</p><p><a href=\"/login\">Start again</a></p>");
            return;
        }
        String query = ctx.queryString();
        URI full = URI.create(settings.callback() + (query == null ? "" : "?" + query));
        switch (oidc.complete(full, pending.get())) {
            case OidcClient.CallbackOutcome.Success s -> {
                sessions.end(ctx.cookie(SESSION_COOKIE));
                setCookie(ctx, SESSION_COOKIE, sessions.create(s.user()), DemoSessions.SESSION_TTL);
                ctx.redirect("/", HttpStatus.SEE_OTHER);
            }
            case OidcClient.CallbackOutcome.ProviderError e -> page(ctx, 400, "Not signed in",
                    "<p>Doorman did not sign you in (" + escape(e.code()) + ").</p><p><a href=\"/login\">Try again</a></p>");
            case OidcClient.CallbackOutcome.Rejected r -> {
                LOG.warn("sign-in rejected: {}", r.reason());
                page(ctx, 400, "Sign-in failed", "<p>The sign-in could not be completed.</p><p><a href=\"/login\">Start again</a></p>");
            }
        }
    }

    private void logout(Context ctx) {
        Optional<DemoSessions.Session> session = sessions.find(ctx.cookie(SESSION_COOKIE));
        if (!sameOrigin(ctx) || session.isEmpty() || !constantTimeEquals(ctx.formParam("csrf"), session.get().csrfToken())) {
            page(ctx, 403, "Refused", "<p>This request did not come from this app's own page.</p>");
            return;
        }
        sessions.end(ctx.cookie(SESSION_COOKIE));
        clearCookie(ctx, SESSION_COOKIE);
        var user = session.get().user();
        user.refreshToken().ifPresent(oidc::revoke);
        String target = oidc.endSessionUrl(user.idToken(), new State()).map(URI::toString).orElse("/logged-out");
        ctx.redirect(target, HttpStatus.SEE_OTHER);
    }

    /** Fetch metadata where the browser sends it, else Origin: a cross-site form post is refused before the token check. */
    private boolean sameOrigin(Context ctx) {
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null) return site.equals("same-origin");
        String origin = ctx.header("Origin");
        return origin == null || origin.equals(settings.origin());
    }

    private void setCookie(Context ctx, String name, String value, Duration maxAge) {
        ctx.res().addHeader("Set-Cookie", name + "=" + value + "; Path=/; Max-Age=" + maxAge.toSeconds() + "; HttpOnly; SameSite=Lax"
                + (settings.secureCookies() ? "; Secure" : ""));
    }

    private void clearCookie(Context ctx, String name) {
        ctx.res().addHeader("Set-Cookie", name + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" + (settings.secureCookies() ? "; Secure" : ""));
    }

    private static void page(Context ctx, int status, String title, String body) {
        ctx.status(status).contentType("text/html; charset=utf-8").result("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>" + escape(title) + "</title></head><body><h1>" + escape(title) + "</h1>" + body + "</body></html>");
    }

    static String escape(String text) {
        var out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean constantTimeEquals(String sent, String expected) {
        return sent != null && MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
