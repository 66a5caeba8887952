package dev.doorman.oauth2.revocation;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import dev.doorman.client.ClientAuthenticator;
import dev.doorman.web.Clients;
import dev.doorman.web.NimbusHttp;
import io.javalin.http.Context;

import java.net.URI;
import java.util.Optional;

/** {@code POST /oauth2/revoke} (RFC 7009): authenticate the client, revoke, answer 200 whatever the token was. */
public final class RevocationEndpoint {
    private final ClientAuthenticator clients;
    private final RevocationService revocation;
    private final URI endpoint;

    public RevocationEndpoint(ClientAuthenticator clients, RevocationService revocation, URI endpoint) {
        this.clients = clients;
        this.revocation = revocation;
        this.endpoint = endpoint;
    }

    public void handle(Context ctx) {
        if (NimbusHttp.repeatedParameter(ctx).isPresent()) {
            error(ctx, OAuth2Error.INVALID_REQUEST.setDescription("Repeated parameter"), false);
            return;
        }
        TokenRevocationRequest request;
        try {
            request = TokenRevocationRequest.parse(NimbusHttp.from(ctx, endpoint));
        } catch (ParseException e) {
            error(ctx, e.getErrorObject() != null ? e.getErrorObject() : OAuth2Error.INVALID_REQUEST, false);
            return;
        }
        switch (clients.authenticate(Optional.ofNullable(request.getClientAuthentication()), Optional.ofNullable(request.getClientID()),
                endpoint, Clients.of(ctx))) {
            case ClientAuthenticator.Result.Failed f -> error(ctx, f.error().setHTTPStatusCode(401), f.basicUsed());
            case ClientAuthenticator.Result.Authenticated a -> {
                revocation.revoke(a.client(), request.getToken().getValue(), Clients.of(ctx));
                ctx.status(200).header("Cache-Control", "no-store").result("");
            }
        }
    }

    private static void error(Context ctx, ErrorObject error, boolean basicUsed) {
        HTTPResponse response = new TokenErrorResponse(error).toHTTPResponse();
        if (basicUsed) response.setHeader("WWW-Authenticate", "Basic realm=\"doorman\"");
        response.setHeader("Cache-Control", "no-store");
        NimbusHttp.write(ctx, response);
    }
}
