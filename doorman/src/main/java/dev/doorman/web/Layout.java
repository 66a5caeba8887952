package dev.doorman.web;

import io.javalin.http.Context;

/** What every page's header needs. */
public final class Layout {
    private final Csrf csrf;
    private final boolean devOutbox;

    public Layout(Csrf csrf, boolean devOutbox) {
        this.csrf = csrf;
        this.devOutbox = devOutbox;
    }

    /** The logout button needs the session's token; anonymous pages get none, so an error page mints no cookie. */
    public Pages.Nav nav(Context ctx) {
        boolean signedIn = Authn.session(ctx).isPresent();
        return new Pages.Nav(signedIn, signedIn ? csrf.tokenFor(ctx) : "", devOutbox);
    }

    public String csrf(Context ctx) {
        return csrf.tokenFor(ctx);
    }

    /**
     * A local path to go to after login, or the account page. Only same-site absolute paths are accepted,
     * never {@code //host} or {@code /\host}, so the login form cannot be made an open redirect.
     */
    public static String safeReturnTo(String returnTo) {
        if (returnTo == null || returnTo.isEmpty() || returnTo.length() > 1024) return "/account";
        boolean local = returnTo.startsWith("/") && !returnTo.startsWith("//") && !returnTo.startsWith("/\\")
                && returnTo.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '\\');
        return local ? returnTo : "/account";
    }
}
