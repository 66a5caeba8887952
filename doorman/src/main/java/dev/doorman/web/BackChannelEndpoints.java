package dev.doorman.web;

import dev.doorman.oauth2.introspection.IntrospectionEndpoint;
import dev.doorman.oauth2.revocation.RevocationEndpoint;
import dev.doorman.oauth2.revocation.RevokedTokensEndpoint;
import dev.doorman.oauth2.token.TokenEndpoint;
import dev.doorman.oidc.UserInfoEndpoint;

/** The OAuth 2.0 / OpenID Connect back-channel endpoints: called by clients and resource servers, not browsers. */
public record BackChannelEndpoints(TokenEndpoint token, UserInfoEndpoint userInfo, RevocationEndpoint revocation,
                                   IntrospectionEndpoint introspection, RevokedTokensEndpoint revokedTokens) {
}
