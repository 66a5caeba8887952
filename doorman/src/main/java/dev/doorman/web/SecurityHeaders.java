package dev.doorman.web;

import io.javalin.http.Context;

/**
 * Headers on every response. Nothing is cached (pages carry personal data or CSRF tokens), except the
 * stylesheet. The CSP allows no script at all: every page works without JavaScript.
 */
public final class SecurityHeaders {
    static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    private final boolean hsts;

    public SecurityHeaders(boolean hsts) {
        this.hsts = hsts;
    }

    public void apply(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
        ctx.header("Cross-Origin-Resource-Policy", "same-origin");
        ctx.header("Vary", "Cookie, Origin, Sec-Fetch-Site");
        if (hsts) ctx.header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
        if (ctx.path().startsWith(AssetPaths.PREFIX)) {
            ctx.header("Cache-Control", "public, max-age=3600");
        } else {
            ctx.header("Cache-Control", "no-store");
            ctx.header("Pragma", "no-cache");
        }
    }

    /** For pages whose URL holds a secret (reset and verification links): no Referer may carry it away. */
    public static void noReferrer(Context ctx) {
        ctx.header("Referrer-Policy", "no-referrer");
    }
}
