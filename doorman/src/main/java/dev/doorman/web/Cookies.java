package dev.doorman.web;

import dev.doorman.session.SessionSettings;
import io.javalin.http.Context;

import java.util.Locale;

/** Writes Doorman's cookies with every attribute spelled out: HttpOnly, Secure, SameSite, Path=/, never Domain. */
public final class Cookies {
    private final SessionSettings settings;

    public Cookies(SessionSettings settings) {
        this.settings = settings;
    }

    /** {@code base} with the {@code __Host-} prefix when it is on (production): the cookie is then bound to this exact origin. */
    public String name(String base) {
        return (settings.hostPrefix() ? "__Host-" : "") + base;
    }

    public void set(Context ctx, String name, String value) {
        ctx.res().addHeader("Set-Cookie", name + "=" + value + attributes());
    }

    public void clear(Context ctx, String name) {
        ctx.res().addHeader("Set-Cookie", name + "=; Max-Age=0" + attributes());
    }

    private String attributes() {
        return "; Path=/" + (settings.secureCookie() ? "; Secure" : "") + "; HttpOnly; SameSite="
                + settings.sameSite().name().charAt(0) + settings.sameSite().name().substring(1).toLowerCase(Locale.ROOT);
    }
}
