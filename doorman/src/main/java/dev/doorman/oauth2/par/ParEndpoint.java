package dev.doorman.oauth2.par;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import dev.doorman.client.ClientAuthenticator;
import dev.doorman.oauth2.authorize.AuthorizeService;
import dev.doorman.web.Clients;
import io.javalin.http.Context;
import net.minidev.json.JSONObject;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code POST /oauth2/par} (RFC 9126): authenticate the client, validate the request like the authorization endpoint, store it. */
public final class ParEndpoint {
    private static final Set<String> AUTH_PARAMETERS = Set.of("client_secret", "client_assertion", "client_assertion_type");

    private final ClientAuthenticator authenticator;
    private final AuthorizeService service;
    private final URI endpoint;

    public ParEndpoint(ClientAuthenticator authenticator, AuthorizeService service, URI endpoint) {
        this.authenticator = authenticator;
        this.service = service;
        this.endpoint = endpoint;
    }

    public void handle(Context ctx) {
        String type = ctx.contentType();
        if (type == null || !type.startsWith("application/x-www-form-urlencoded")) {
            error(ctx, 400, OAuth2Error.INVALID_REQUEST.setDescription("the body must be application/x-www-form-urlencoded"), false);
            return;
        }
        var http = new HTTPRequest(HTTPRequest.Method.POST, endpoint);
        http.setHeader("Content-Type", type);
        if (ctx.header("Authorization") != null) http.setAuthorization(ctx.header("Authorization"));
        http.setBody(ctx.body());
        Map<String, List<String>> params = new LinkedHashMap<>(URLUtils.parseParameters(ctx.body()));
        Optional<ClientAuthentication> authentication;
        try {
            authentication = Optional.ofNullable(ClientAuthentication.parse(http));
        } catch (ParseException e) {
            error(ctx, 400, e.getErrorObject() != null ? e.getErrorObject() : OAuth2Error.INVALID_REQUEST, false);
            return;
        }
        List<String> ids = params.get("client_id");
        if (ids != null && ids.size() > 1) {
            error(ctx, 400, OAuth2Error.INVALID_REQUEST.setDescription("client_id is repeated"), false);
            return;
        }
        Optional<ClientID> claimed = Optional.ofNullable(ids).map(l -> new ClientID(l.getFirst()));
        switch (authenticator.authenticate(authentication, claimed, endpoint, Clients.of(ctx))) {
            case ClientAuthenticator.Result.Failed f -> error(ctx, f.error().getHTTPStatusCode() > 0 ? f.error().getHTTPStatusCode() : 401,
                    f.error(), f.basicUsed());
            case ClientAuthenticator.Result.Authenticated a -> {
                params.keySet().removeAll(AUTH_PARAMETERS);
                switch (service.push(a.client(), params, Clients.of(ctx))) {
                    case AuthorizeService.PushOutcome.Pushed p -> {
                        var body = new JSONObject();
                        body.put("request_uri", p.requestUri());
                        body.put("expires_in", p.expiresIn());
                        ctx.status(201).contentType("application/json").result(body.toJSONString());
                    }
                    case AuthorizeService.PushOutcome.Rejected r -> error(ctx, 400, r.error(), false);
                }
            }
        }
    }

    private static void error(Context ctx, int status, ErrorObject error, boolean basic) {
        if (basic) ctx.header("WWW-Authenticate", "Basic realm=\"doorman\"");
        ctx.status(status).contentType("application/json").result(error.toJSONObject().toJSONString());
    }
}
