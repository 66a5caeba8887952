package dev.doorman.oauth2.authorize;

import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import dev.doorman.client.ClientRegistry;
import dev.doorman.client.RegisteredClient;
import dev.doorman.login.LoginPaths;
import dev.doorman.mfa.MfaPaths;
import dev.doorman.oauth2.OAuth2Paths;
import dev.doorman.session.Session;
import dev.doorman.web.Authn;
import dev.doorman.web.Clients;
import dev.doorman.web.Forms;
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
import java.util.Optional;

/** {@code /oauth2/authorize} and the consent page: parse, {@link AuthorizeService}, write. */
public final class AuthorizeEndpoint {
    private static final int MAX_LOGIN_HINT = 254;

    /** For a login page resuming an authorization request: the requesting client's redirect URIs; otherwise none. */
    public static List<URI> clientRedirects(String returnTo, ClientRegistry clients) {
        if (!returnTo.startsWith(OAuth2Paths.AUTHORIZE + "?")) return List.of();
        try {
            var clientId = URLUtils.parseParameters(returnTo.substring(returnTo.indexOf('?') + 1)).getOrDefault("client_id", List.of());
            if (clientId.size() != 1) return List.of();
            return clients.find(new ClientID(clientId.getFirst())).map(RegisteredClient::redirectUris).orElse(List.of());
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private final AuthorizeService service;
    private final Views views;
    private final Layout layout;

    public AuthorizeEndpoint(AuthorizeService service, Views views, Layout layout) {
        this.service = service;
        this.views = views;
        this.layout = layout;
    }

    public void authorize(Context ctx) {
        SecurityHeaders.noReferrer(ctx);
        var params = ctx.method() == HandlerType.POST ? ctx.formParamMap() : ctx.queryParamMap();
        write(ctx, service.authorize(params, Authn.session(ctx), Clients.of(ctx)));
    }

    public void consentPage(Context ctx) {
        SecurityHeaders.noReferrer(ctx);
        Optional<Session> session = Authn.session(ctx);
        String client = ctx.queryParam("client_id");
        String id = ctx.queryParam("id");
        if (session.isEmpty() || client == null || client.isBlank() || id == null) {
            refused(ctx, "This consent request has expired. Go back to the application and try again.");
            return;
        }
        switch (service.consentPage(new ClientID(client), id, session.get())) {
            case ConsentView.Ask ask -> {
                SecurityHeaders.allowFormAction(ctx, ask.redirect());
                views.render(ctx, "consent.jte", new Pages.Consent(layout.nav(ctx), layout.csrf(ctx), ask.client().getValue(),
                        ask.clientName(), ask.scopeDescriptions(), ask.decisionId()));
            }
            case ConsentView.Expired e -> refused(ctx, "This consent request has expired. Go back to the application and try again.");
        }
    }

    public void consentSubmit(Context ctx) {
        SecurityHeaders.noReferrer(ctx);
        Forms.requireForm(ctx);
        Optional<Session> session = Authn.session(ctx);
        String client = Forms.field(ctx, "client_id");
        if (session.isEmpty() || client.isBlank()) {
            refused(ctx, "This consent request has expired. Go back to the application and try again.");
            return;
        }
        boolean approved = "approve".equals(Forms.field(ctx, "decision"));
        write(ctx, service.decide(new ClientID(client), Forms.field(ctx, "id"), session.get(), approved, Clients.of(ctx)));
    }

    private void write(Context ctx, AuthorizeOutcome outcome) {
        switch (outcome) {
            case AuthorizeOutcome.Refused r -> refused(ctx, r.message());
            case AuthorizeOutcome.ToClient t -> {
                SecurityHeaders.allowFormAction(ctx, t.location());
                ctx.redirect(t.location().toString(), HttpStatus.SEE_OTHER);
            }
            case AuthorizeOutcome.NeedsLogin n -> ctx.redirect(LoginPaths.FORM + "?returnTo=" + encode(n.returnTo())
                    + n.loginHint().filter(h -> h.length() <= MAX_LOGIN_HINT).map(h -> "&login_hint=" + encode(h)).orElse(""), HttpStatus.SEE_OTHER);
            case AuthorizeOutcome.NeedsSecondFactor m -> ctx.redirect(MfaPaths.STEP_UP + "?returnTo=" + encode(m.returnTo()), HttpStatus.SEE_OTHER);
            case AuthorizeOutcome.NeedsConsent c -> ctx.redirect(OAuth2Paths.CONSENT + "?client_id=" + encode(c.client().getValue())
                    + "&id=" + encode(c.pendingId()), HttpStatus.SEE_OTHER);
        }
    }

    private void refused(Context ctx, String message) {
        views.render(ctx, 400, "authorize-error.jte", new Pages.Message(layout.nav(ctx), "This sign-in request cannot continue", message,
                Optional.empty()));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
