package dev.doorman.oidc;

import dev.doorman.login.LoginPaths;
import dev.doorman.oauth2.OAuth2Paths;
import dev.doorman.session.SessionService;
import dev.doorman.web.Authn;
import dev.doorman.web.Clients;
import dev.doorman.web.Csrf;
import dev.doorman.web.Layout;
import dev.doorman.web.Pages;
import dev.doorman.web.SecurityHeaders;
import dev.doorman.web.Views;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET/POST /oauth2/logout}: RP-initiated logout. A client may POST its logout request (RP-Initiated Logout
 * 1.0 §2), but a cross-site POST carries no SameSite=Lax session cookie: logging "out" without the session would
 * tell the client the user is gone while they are not. So such a POST is answered with a 303 to the same request as
 * a GET, a top-level navigation that does carry the cookie. Only the user's own confirmation is a POST that acts,
 * and it is CSRF-checked.
 */
public final class EndSessionEndpoint {
    private static final List<String> REQUEST_PARAMETERS = List.of("id_token_hint", "post_logout_redirect_uri", "client_id", "state",
            "logout_hint", "ui_locales");

    private final EndSessionService service;
    private final SessionService sessions;
    private final Authn authn;
    private final Csrf csrf;
    private final Views views;
    private final Layout layout;

    public EndSessionEndpoint(EndSessionService service, SessionService sessions, Authn authn, Csrf csrf, Views views, Layout layout) {
        this.service = service;
        this.sessions = sessions;
        this.authn = authn;
        this.csrf = csrf;
        this.views = views;
        this.layout = layout;
    }

    public void handle(Context ctx) {
        SecurityHeaders.noReferrer(ctx);
        boolean post = ctx.method() == HandlerType.POST;
        Map<String, List<String>> params = post ? ctx.formParamMap() : ctx.queryParamMap();
        if (post && !params.containsKey("confirm")) {
            ctx.redirect(OAuth2Paths.END_SESSION + asQuery(params), HttpStatus.SEE_OTHER);
            return;
        }
        Optional<String> state = single(params, "state");
        var decision = service.decide(single(params, "id_token_hint"), single(params, "post_logout_redirect_uri"),
                single(params, "client_id"), Authn.session(ctx));
        switch (decision) {
            case EndSessionService.Decision.Refused r -> views.render(ctx, 400, "authorize-error.jte",
                    new Pages.Message(layout.nav(ctx), "Cannot log out", r.message(), Optional.empty()));
            case EndSessionService.Decision.LogOut l -> logOut(ctx, l.redirect(), state);
            case EndSessionService.Decision.Confirm c -> {
                if (post && "yes".equals(single(params, "confirm").orElse(""))) {
                    csrf.verify(ctx);
                    logOut(ctx, Optional.empty(), Optional.empty());
                } else views.render(ctx, "logout-confirm.jte", new Pages.LogoutConfirm(layout.nav(ctx), layout.csrf(ctx), Map.of()));
            }
        }
    }

    private void logOut(Context ctx, Optional<URI> redirect, Optional<String> state) {
        Authn.session(ctx).ifPresent(s -> sessions.logout(s, Clients.of(ctx)));
        authn.end(ctx);
        if (redirect.isEmpty()) {
            ctx.redirect(LoginPaths.FORM + "?loggedOut=1", HttpStatus.SEE_OTHER);
            return;
        }
        String base = redirect.get().toString();
        String target = state.map(s -> base + (redirect.get().getRawQuery() == null ? "?" : "&") + "state="
                + URLEncoder.encode(s, StandardCharsets.UTF_8)).orElse(base);
        SecurityHeaders.allowFormAction(ctx, redirect.get());
        ctx.redirect(target, HttpStatus.SEE_OTHER);
    }

    /** The logout request's own parameters, each as sent (a repeated one stays repeated and is refused as before). */
    private static String asQuery(Map<String, List<String>> params) {
        var query = new StringBuilder();
        for (String name : REQUEST_PARAMETERS) {
            for (String value : params.getOrDefault(name, List.of()))
                query.append(query.isEmpty() ? '?' : '&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
        return query.toString();
    }

    private static Optional<String> single(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.size() != 1 || values.getFirst().isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }
}
