package dev.doorman.oauth2.token;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import dev.doorman.client.ClientAuthenticator;
import dev.doorman.client.RegisteredClient;
import dev.doorman.guard.ClientAdmission;
import dev.doorman.web.Clients;
import dev.doorman.web.NimbusHttp;
import io.javalin.http.Context;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /oauth2/token}: parse (Nimbus), authenticate the client, dispatch on {@code grant_type} to its
 * handler, write the tokens or the error with {@code Cache-Control: no-store} (RFC 6749 §5).
 */
public final class TokenEndpoint {
    private final ClientAuthenticator clients;
    private final Map<GrantType, GrantHandler> grantHandlers;
    private final URI endpoint;
    private final ClientAdmission admission;

    public TokenEndpoint(ClientAuthenticator clients, Map<GrantType, GrantHandler> grantHandlers, URI endpoint) {
        this(clients, grantHandlers, endpoint, ClientAdmission.unlimited());
    }

    /** @param admission the per-client rate limit, checked once the client has authenticated */
    public TokenEndpoint(ClientAuthenticator clients, Map<GrantType, GrantHandler> grantHandlers, URI endpoint, ClientAdmission admission) {
        this.clients = clients;
        this.grantHandlers = Map.copyOf(grantHandlers);
        this.endpoint = endpoint;
        this.admission = admission;
    }

    public void handle(Context ctx) {
        Optional<String> repeated = NimbusHttp.repeatedParameter(ctx);
        if (repeated.isPresent()) {
            error(ctx, OAuth2Error.INVALID_REQUEST.setDescription("Repeated parameter: " + repeated.get()));
            return;
        }
        TokenRequest request;
        try {
            request = TokenRequest.parse(NimbusHttp.from(ctx, endpoint));
        } catch (ParseException e) {
            error(ctx, e.getErrorObject() != null ? e.getErrorObject() : OAuth2Error.INVALID_REQUEST);
            return;
        }
        var auth = Optional.ofNullable(request.getClientAuthentication());
        switch (clients.authenticate(auth, Optional.ofNullable(request.getClientID()), endpoint, Clients.of(ctx))) {
            case ClientAuthenticator.Result.Failed failed -> invalidClient(ctx, failed);
            case ClientAuthenticator.Result.Authenticated a -> {
                var wait = admission.admit(a.client().id().getValue(), Clients.of(ctx));
                if (wait.isPresent()) tooMany(ctx, wait.get());
                else write(ctx, dispatch(a.client(), request, ctx));
            }
        }
    }

    /** 429 in the token endpoint's own error format, with Retry-After; nothing was issued. */
    public static void tooMany(Context ctx, Duration wait) {
        HTTPResponse response = new TokenErrorResponse(new ErrorObject("temporarily_unavailable",
                "Too many requests for this client; retry later", 429)).toHTTPResponse();
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Pragma", "no-cache");
        response.setHeader("Retry-After", Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000)));
        NimbusHttp.write(ctx, response);
    }

    private TokenResult dispatch(RegisteredClient client, TokenRequest request, Context ctx) {
        GrantType type = request.getAuthorizationGrant().getType();
        GrantHandler handler = grantHandlers.get(type);
        if (handler == null) return new TokenResult.Rejected(OAuth2Error.UNSUPPORTED_GRANT_TYPE);
        if (!client.grantTypes().contains(type)) return new TokenResult.Rejected(OAuth2Error.UNAUTHORIZED_CLIENT);
        return handler.handle(client, request, Clients.of(ctx));
    }

    private static void write(Context ctx, TokenResult result) {
        switch (result) {
            case TokenResult.Rejected r -> error(ctx, r.error());
            case TokenResult.Issued issued -> NimbusHttp.write(ctx, success(issued).toHTTPResponse());
        }
    }

    private static AccessTokenResponse success(TokenResult.Issued issued) {
        var at = issued.accessToken();
        var accessToken = new BearerAccessToken(at.value(), Duration.between(at.issuedAt(), at.expiresAt()).toSeconds(), issued.scope());
        RefreshToken refreshToken = issued.refreshToken().map(RefreshToken::new).orElse(null);
        return issued.idToken().<AccessTokenResponse>map(id -> new OIDCTokenResponse(new OIDCTokens(id, accessToken, refreshToken)))
                .orElseGet(() -> new AccessTokenResponse(new Tokens(accessToken, refreshToken)));
    }

    /** 401 invalid_client, with {@code WWW-Authenticate: Basic} when the client tried Basic (RFC 6749 §5.2). */
    private static void invalidClient(Context ctx, ClientAuthenticator.Result.Failed failed) {
        HTTPResponse response = new TokenErrorResponse(failed.error().setHTTPStatusCode(401)).toHTTPResponse();
        if (failed.basicUsed()) response.setHeader("WWW-Authenticate", "Basic realm=\"doorman\"");
        NimbusHttp.write(ctx, response);
    }

    private static void error(Context ctx, ErrorObject error) {
        HTTPResponse response = new TokenErrorResponse(error).toHTTPResponse();
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Pragma", "no-cache");
        NimbusHttp.write(ctx, response);
    }
}
