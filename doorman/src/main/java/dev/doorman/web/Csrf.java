package dev.doorman.web;

import dev.doorman.access.AccessPaths;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditType;
import dev.doorman.oauth2.OAuth2Paths;
import dev.doorman.session.Session;
import dev.doorman.session.SessionSettings;
import dev.doorman.support.Secrets;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * Cross-site request forgery defence for every state-changing request:
 * <ol>
 *   <li>an origin check: {@code Sec-Fetch-Site} must say same-origin; without it, {@code Origin} (or else
 *       {@code Referer}) must be our own origin; {@code Origin: null} is refused;</li>
 *   <li>a token: with a session, HMAC(key, session id), a synchronizer token bound to that session, so one taken
 *       before logout is dead after the next login; without one (login and sign-up forms), HMAC(key, pre-session
 *       cookie), a signed double-submit token.</li>
 * </ol>
 * Forms send it as the {@code csrf} field, API clients as the {@code X-CSRF-Token} header. JSON API calls
 * without a session need no token: they must be {@code application/json}, which no form can send cross-site.
 */
public final class Csrf {
    public static final String HEADER = "X-CSRF-Token";
    public static final String FIELD = "csrf";
    private static final String MINTED = "doorman.presession-minted";
    /**
     * POSTs no session cookie vouches for: the back channel authenticates the client or a bearer token, PAR the
     * client, and an authorization request by POST is the same request as by GET (a client's form may send it
     * cross-site). A forged cross-site request to them gains nothing. The logout endpoint turns a client's POST into
     * a GET and checks the token itself where the user confirms ({@link #verify}).
     */
    private static final Set<String> NOT_COOKIE_AUTHENTICATED = Set.of(OAuth2Paths.TOKEN, OAuth2Paths.REVOKE, OAuth2Paths.INTROSPECT,
            OAuth2Paths.USERINFO, OAuth2Paths.PAR, OAuth2Paths.AUTHORIZE, OAuth2Paths.END_SESSION,
            // The AuthZEN decision point authenticates a bearer token and never reads a cookie.
            AccessPaths.EVALUATION, AccessPaths.EVALUATIONS);
    private static final Set<HandlerType> SAFE = Set.of(HandlerType.GET, HandlerType.HEAD, HandlerType.OPTIONS);

    private final byte[] key;
    private final String origin;
    private final SessionSettings settings;
    private final Cookies cookies;
    private final Secrets secrets;
    private final AuditLog audit;

    /** @param hexKey at least 256 bits, shared by every node */
    public Csrf(String hexKey, String origin, SessionSettings settings, Cookies cookies, Secrets secrets, AuditLog audit) {
        this.key = HexFormat.of().parseHex(hexKey);
        if (key.length < 32) throw new IllegalArgumentException("CSRF key must have at least 256 bits");
        this.origin = origin;
        this.settings = settings;
        this.cookies = cookies;
        this.secrets = secrets;
        this.audit = audit;
    }

    /** The before-handler. */
    public void check(Context ctx) {
        if (SAFE.contains(ctx.method()) || NOT_COOKIE_AUTHENTICATED.contains(ctx.path())) return;
        verify(ctx);
    }

    /** The origin and token checks, for an endpoint the before-handler leaves alone; throws a 403 problem when they fail. */
    public void verify(Context ctx) {
        if (!sameOrigin(ctx)) reject(ctx, "csrf.cross_origin", "Cross-site request refused.");
        Optional<Session> session = Authn.session(ctx);
        boolean api = ctx.path().startsWith(ApiPaths.PREFIX);
        if (api && session.isEmpty()) return;
        String sent = ctx.header(HEADER);
        if (sent == null && !api && isForm(ctx)) sent = ctx.formParam(FIELD);
        Optional<String> expected = session.map(s -> sessionToken(s)).or(() -> preSessionToken(ctx));
        if (sent == null || expected.isEmpty() || !constantTimeEquals(sent, expected.get()))
            reject(ctx, "csrf.invalid_token", "The form has expired or the request is missing its CSRF token. Reload the page and try again.");
    }

    /** The token to embed in a page: bound to the session, or to a pre-session cookie created now. */
    public String tokenFor(Context ctx) {
        Optional<Session> session = Authn.session(ctx);
        if (session.isPresent()) return sessionToken(session.get());
        return preSessionToken(ctx).orElseGet(() -> {
            String pre = secrets.newToken();
            cookies.set(ctx, settings.preSessionCookieName(), pre);
            ctx.attribute(MINTED, pre);
            return mac("pre|" + pre);
        });
    }

    public String sessionToken(Session session) {
        return mac("session|" + session.id());
    }

    /** From the request's cookie, or from the one this response already set. */
    private Optional<String> preSessionToken(Context ctx) {
        String minted = ctx.attribute(MINTED);
        String pre = minted != null ? minted : ctx.cookie(settings.preSessionCookieName());
        return Secrets.looksLikeToken(pre) ? Optional.of(mac("pre|" + pre)) : Optional.empty();
    }

    private boolean sameOrigin(Context ctx) {
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null) return site.equals("same-origin") || site.equals("none");
        String requestOrigin = ctx.header("Origin");
        if (requestOrigin != null) return requestOrigin.equals(origin);
        String referer = ctx.header("Referer");
        if (referer != null) return referer.equals(origin) || referer.startsWith(origin + "/");
        return true;   // not a browser: browsers send Sec-Fetch-Site or Origin on every unsafe request
    }

    private void reject(Context ctx, String code, String message) {
        audit.failure(AuditType.CSRF_REJECTED, code.substring("csrf.".length()), Authn.session(ctx).map(Session::user), Clients.of(ctx));
        throw new ProblemException(403, code, message);
    }

    private static boolean isForm(Context ctx) {
        String type = ctx.contentType();
        return type != null && (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data"));
    }

    private String mac(String message) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every JDK", e);
        }
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
