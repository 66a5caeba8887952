package dev.doorman.oauth2.introspection;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import dev.doorman.client.ClientAuthenticator;
import dev.doorman.guard.ClientAdmission;
import dev.doorman.oauth2.token.TokenEndpoint;
import dev.doorman.web.Clients;
import dev.doorman.web.NimbusHttp;
import io.javalin.http.Context;

import java.net.URI;
import java.util.Optional;

/**
 * {@code POST /oauth2/introspect} (RFC 7662): confidential clients only, authenticated as at the token endpoint;
 * anything else is 401 {@code invalid_client}, so that the endpoint cannot be used to scan for tokens (OA-22).
 */
public final class IntrospectionEndpoint {
    private final ClientAuthenticator clients;
    private final IntrospectionService introspection;
    private final URI endpoint;
    private final ClientAdmission admission;

    public IntrospectionEndpoint(ClientAuthenticator clients, IntrospectionService introspection, URI endpoint) {
        this(clients, introspection, endpoint, ClientAdmission.unlimited());
    }

    /** @param admission the per-client rate limit, checked once the caller has authenticated */
    public IntrospectionEndpoint(ClientAuthenticator clients, IntrospectionService introspection, URI endpoint, ClientAdmission admission) {
        this.clients = clients;
        this.introspection = introspection;
        this.endpoint = endpoint;
        this.admission = admission;
    }

    public void handle(Context ctx) {
        if (NimbusHttp.repeatedParameter(ctx).isPresent()) {
            error(ctx, OAuth2Error.INVALID_REQUEST.setDescription("Repeated parameter"), false);
            return;
        }
        TokenIntrospectionRequest request;
        try {
            request = TokenIntrospectionRequest.parse(NimbusHttp.from(ctx, endpoint));
        } catch (ParseException e) {
            error(ctx, e.getErrorObject() != null ? e.getErrorObject() : OAuth2Error.INVALID_REQUEST, false);
            return;
        }
        if (request.getClientAuthentication() == null) {
            error(ctx, OAuth2Error.INVALID_CLIENT.setDescription("Client authentication required"), false);
            return;
        }
        switch (clients.authenticate(Optional.of(request.getClientAuthentication()), Optional.empty(), endpoint, Clients.of(ctx))) {
            case ClientAuthenticator.Result.Failed f -> error(ctx, f.error(), f.basicUsed());
            case ClientAuthenticator.Result.Authenticated a -> {
                var wait = admission.admit(a.client().id().getValue(), Clients.of(ctx));
                if (wait.isPresent()) {
                    TokenEndpoint.tooMany(ctx, wait.get());
                    return;
                }
                HTTPResponse response = introspection.introspect(a.client(), request.getToken().getValue()).toHTTPResponse();
                response.setHeader("Cache-Control", "no-store");
                NimbusHttp.write(ctx, response);
            }
        }
    }

    private static void error(Context ctx, ErrorObject error, boolean basicUsed) {
        HTTPResponse response = new TokenErrorResponse(error.getCode().equals(OAuth2Error.INVALID_CLIENT.getCode())
                ? error.setHTTPStatusCode(401) : error).toHTTPResponse();
        if (basicUsed) response.setHeader("WWW-Authenticate", "Basic realm=\"doorman\"");
        response.setHeader("Cache-Control", "no-store");
        NimbusHttp.write(ctx, response);
    }
}
