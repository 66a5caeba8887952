package dev.doorman.oauth2.token;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.openid.connect.sdk.OIDCScopeValue;
import dev.doorman.client.RegisteredClient;
import dev.doorman.oauth2.GrantId;
import dev.doorman.support.ClientInfo;

import java.util.Optional;
import java.util.Set;

/**
 * {@code grant_type=client_credentials} (RFC 6749 §4.4): confidential clients only, a scope within the client's,
 * an access token about the client itself and no refresh token.
 */
public final class ClientCredentialsGrantHandler implements GrantHandler {
    private static final Set<Scope.Value> USER_SCOPES = Set.of(OIDCScopeValue.OPENID, OIDCScopeValue.PROFILE, OIDCScopeValue.EMAIL,
            OIDCScopeValue.ADDRESS, OIDCScopeValue.PHONE, OIDCScopeValue.OFFLINE_ACCESS);
    private final TokenFactory tokens;

    public ClientCredentialsGrantHandler(TokenFactory tokens) {
        this.tokens = tokens;
    }

    @Override
    public TokenResult handle(RegisteredClient client, TokenRequest request, ClientInfo from) {
        if (!client.confidential()) return new TokenResult.Rejected(OAuth2Error.UNAUTHORIZED_CLIENT);
        Scope scope = request.getScope() == null ? withoutUserScopes(client.scope()) : request.getScope();
        if (!client.scope().containsAll(scope) || !withoutUserScopes(scope).equals(scope))
            return new TokenResult.Rejected(OAuth2Error.INVALID_SCOPE);
        return new TokenResult.Issued(tokens.clientAccessToken(client, scope, GrantId.random()), Optional.empty(), Optional.empty(), scope);
    }

    /** No user stands behind a client-credentials token: the OpenID Connect scopes, which are about one, do not apply. */
    private static Scope withoutUserScopes(Scope scope) {
        var kept = new Scope(scope);
        kept.removeAll(USER_SCOPES);
        return kept;
    }
}
