package dev.doorman.oauth2.token;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import dev.doorman.client.RegisteredClient;
import dev.doorman.oauth2.GrantId;
import dev.doorman.support.ClientInfo;

import java.util.Optional;

/**
 * {@code grant_type=client_credentials} (RFC 6749 §4.4): confidential clients only, a scope within the client's,
 * an access token about the client itself and no refresh token.
 */
public final class ClientCredentialsGrantHandler implements GrantHandler {
    private final TokenFactory tokens;

    public ClientCredentialsGrantHandler(TokenFactory tokens) {
        this.tokens = tokens;
    }

    @Override
    public TokenResult handle(RegisteredClient client, TokenRequest request, ClientInfo from) {
        if (!client.confidential()) return new TokenResult.Rejected(OAuth2Error.UNAUTHORIZED_CLIENT);
        Scope scope = request.getScope() == null ? client.scope() : request.getScope();
        if (scope == null || !client.scope().containsAll(scope) || scope.contains("openid"))
            return new TokenResult.Rejected(OAuth2Error.INVALID_SCOPE);
        return new TokenResult.Issued(tokens.clientAccessToken(client, scope, GrantId.random()), Optional.empty(), Optional.empty(), scope);
    }
}
