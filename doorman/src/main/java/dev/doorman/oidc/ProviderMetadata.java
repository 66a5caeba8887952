package dev.doorman.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.openid.connect.sdk.SubjectType;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.doorman.oauth2.OAuth2Paths;

import java.net.URI;
import java.util.List;

/**
 * The discovery document (OIDC Discovery 1.0, RFC 8414): built once from the configured issuer, never from the
 * request's Host, and listing only what Doorman does.
 */
public final class ProviderMetadata {
    private ProviderMetadata() {
    }

    public static OIDCProviderMetadata of(URI baseUrl, JWSAlgorithm signingAlgorithm) {
        var metadata = new OIDCProviderMetadata(new Issuer(baseUrl.toString()), List.of(SubjectType.PUBLIC), baseUrl.resolve(OAuth2Paths.JWKS));
        metadata.setAuthorizationEndpointURI(baseUrl.resolve(OAuth2Paths.AUTHORIZE));
        metadata.setTokenEndpointURI(baseUrl.resolve(OAuth2Paths.TOKEN));
        metadata.setUserInfoEndpointURI(baseUrl.resolve(OAuth2Paths.USERINFO));
        metadata.setRevocationEndpointURI(baseUrl.resolve(OAuth2Paths.REVOKE));
        metadata.setIntrospectionEndpointURI(baseUrl.resolve(OAuth2Paths.INTROSPECT));
        metadata.setPushedAuthorizationRequestEndpointURI(baseUrl.resolve(OAuth2Paths.PAR));
        metadata.setEndSessionEndpointURI(baseUrl.resolve(OAuth2Paths.END_SESSION));
        metadata.setResponseTypes(List.of(ResponseType.CODE));
        metadata.setResponseModes(List.of(ResponseMode.QUERY));
        metadata.setGrantTypes(List.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN, GrantType.CLIENT_CREDENTIALS));
        metadata.setCodeChallengeMethods(List.of(CodeChallengeMethod.S256));
        var authMethods = List.of(ClientAuthenticationMethod.CLIENT_SECRET_BASIC, ClientAuthenticationMethod.CLIENT_SECRET_POST,
                ClientAuthenticationMethod.PRIVATE_KEY_JWT, ClientAuthenticationMethod.NONE);
        metadata.setTokenEndpointAuthMethods(authMethods);
        metadata.setRevocationEndpointAuthMethods(authMethods);
        metadata.setIntrospectionEndpointAuthMethods(authMethods.subList(0, 3));
        var assertionAlgorithms = List.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256, JWSAlgorithm.EdDSA);
        metadata.setTokenEndpointJWSAlgs(assertionAlgorithms);
        metadata.setIDTokenJWSAlgs(List.of(signingAlgorithm));
        metadata.setScopes(new Scope("openid", "profile", "email", "offline_access"));
        metadata.setClaims(List.of("sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "azp", "at_hash", "sid",
                "name", "email", "email_verified"));
        metadata.setACRs(List.of(new com.nimbusds.openid.connect.sdk.claims.ACR(dev.doorman.session.Session.ACR_SINGLE_FACTOR),
                new com.nimbusds.openid.connect.sdk.claims.ACR(dev.doorman.session.Session.ACR_MULTI_FACTOR)));
        metadata.setSupportsAuthorizationResponseIssuerParam(true);
        metadata.setSupportsRequestParam(false);
        metadata.setSupportsRequestURIParam(false);
        metadata.setSupportsClaimsParams(false);
        return metadata;
    }
}
