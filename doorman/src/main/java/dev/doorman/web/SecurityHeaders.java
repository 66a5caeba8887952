package dev.doorman.web;

import dev.doorman.keys.KeysPaths;
import dev.doorman.client.RedirectUris;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Headers on every response. Nothing is cached (pages carry personal data or CSRF tokens), except the
 * stylesheet and the JWKS (public keys, fetched by every resource server). The CSP allows no script at all: every
 * page works without JavaScript.
 */
public final class SecurityHeaders {
    static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    private final Map<String, String> always = new LinkedHashMap<>();

    public SecurityHeaders(boolean hsts) {
        always.put("Content-Security-Policy", CSP);
        always.put("X-Content-Type-Options", "nosniff");
        always.put("X-Frame-Options", "DENY");
        always.put("Referrer-Policy", "same-origin");
        always.put("Cross-Origin-Opener-Policy", "same-origin");
        always.put("Cross-Origin-Resource-Policy", "same-origin");
        always.put("Vary", "Cookie, Origin, Sec-Fetch-Site");
        if (hsts) always.put("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    }

    public void apply(Context ctx) {
        always.forEach(ctx::header);
        if (ctx.path().startsWith(AssetPaths.PREFIX)) {
            ctx.header("Cache-Control", "public, max-age=3600");
        } else if (ctx.path().equals(KeysPaths.JWKS) && ctx.method() == HandlerType.GET) {
            // Public data; a new key is published as "next" long before it signs, so five minutes of caching is safe.
            ctx.header("Cache-Control", "public, max-age=300");
        } else {
            ctx.header("Cache-Control", "no-store");
            ctx.header("Pragma", "no-cache");
        }
    }

    /** For answers the HTTP layer gives before any route runs (a header too large, a malformed request line). */
    public void applyTo(BiConsumer<String, String> put) {
        always.forEach(put);
        put.accept("Cache-Control", "no-store");
    }

    /**
     * Lets this one response's form (or the redirect that ends a form POST, which Chrome checks against
     * {@code form-action}) go to {@code target}'s origin: the client's redirect URI at the end of a login or consent.
     */
    public static void allowFormAction(Context ctx, URI target) {
        allowFormAction(ctx, java.util.List.of(target));
    }

    /** The same for several possible targets (the login page of an authorization request: the client's redirect URIs). */
    public static void allowFormAction(Context ctx, java.util.List<URI> targets) {
        var sources = new java.util.LinkedHashSet<String>();
        for (URI target : targets) {
            String scheme = target.getScheme();
            if (scheme == null) continue;
            String source = target.getRawAuthority() == null ? scheme + ":" : scheme + "://" + target.getRawAuthority();
            // A registered loopback redirect (RFC 8252) is used on any port: allow them all.
            if (RedirectUris.isLoopback(target) && target.getPort() == -1) source += ":*";
            if (!source.contains(";") && !source.contains(",") && !source.contains(" ") && !source.contains("'")) sources.add(source);
        }
        if (sources.isEmpty()) return;
        ctx.header("Content-Security-Policy", CSP.replace("form-action 'self'", "form-action 'self' " + String.join(" ", sources)));
    }

    /**
     * For the pages with script (login: passkeys and the proof-of-work solver; the MFA pages): same-origin script files
     * (never inline) and same-origin fetches, added to whatever CSP this response already has.
     */
    public static void allowScripts(Context ctx) {
        String current = ctx.res().getHeader("Content-Security-Policy");
        String csp = current == null ? CSP : current;
        if (!csp.contains("script-src")) ctx.header("Content-Security-Policy", csp + "; script-src 'self'; connect-src 'self'");
    }

    /** For pages whose URL holds a secret (reset and verification links): no Referer may carry it away. */
    public static void noReferrer(Context ctx) {
        ctx.header("Referrer-Policy", "no-referrer");
    }
}
