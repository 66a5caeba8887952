package dev.doorman.oauth2.introspection;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.oauth2.sdk.id.Subject;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import dev.doorman.client.RegisteredClient;
import dev.doorman.oauth2.token.AccessTokenVerifier;
import dev.doorman.oauth2.token.RefreshToken;
import dev.doorman.oauth2.token.RefreshTokenStore;
import dev.doorman.support.Secrets;

import java.time.Clock;
import java.util.Date;
import java.util.Optional;

/**
 * Token introspection (RFC 7662 §2.2, OA-22). A caller learns about an access token only when it is in the token's
 * audience or obtained the token itself, and about its own refresh tokens only; everything else, like every
 * unknown, expired or revoked token, is exactly {@code {"active":false}}.
 */
public final class IntrospectionService {
    private static final TokenIntrospectionSuccessResponse INACTIVE = new TokenIntrospectionSuccessResponse.Builder(false).build();

    private final AccessTokenVerifier anyAudience;
    private final RefreshTokenStore refreshTokens;
    private final Issuer issuer;
    private final Clock clock;

    /** @param anyAudience verifies our access tokens whatever their audience (the audience policy is applied here) */
    public IntrospectionService(AccessTokenVerifier anyAudience, RefreshTokenStore refreshTokens, Issuer issuer, Clock clock) {
        this.anyAudience = anyAudience;
        this.refreshTokens = refreshTokens;
        this.issuer = issuer;
        this.clock = clock;
    }

    public TokenIntrospectionSuccessResponse introspect(RegisteredClient caller, String token) {
        if (anyAudience.verify(token) instanceof AccessTokenVerifier.Result.Valid valid)
            return accessToken(caller, valid.claims());
        return refreshToken(caller, token);
    }

    private TokenIntrospectionSuccessResponse accessToken(RegisteredClient caller, JWTClaimsSet claims) {
        String callerId = caller.id().getValue();
        if (!callerId.equals(claims.getClaim("client_id")) && !claims.getAudience().contains(callerId)) return INACTIVE;
        var builder = new TokenIntrospectionSuccessResponse.Builder(true)
                .clientID(new ClientID((String) claims.getClaim("client_id")))
                .subject(new Subject(claims.getSubject()))
                .expirationTime(claims.getExpirationTime())
                .issueTime(claims.getIssueTime())
                .notBeforeTime(claims.getNotBeforeTime())
                .issuer(new Issuer(claims.getIssuer()))
                .audience(Audience.create(claims.getAudience()))
                .tokenType(AccessTokenType.BEARER)
                .jwtID(new JWTID(claims.getJWTID()));
        if (claims.getClaim("scope") instanceof String scope) builder.scope(Scope.parse(scope));
        return builder.build();
    }

    private TokenIntrospectionSuccessResponse refreshToken(RegisteredClient caller, String token) {
        if (token.isEmpty() || token.length() > 512) return INACTIVE;
        Optional<RefreshToken> found = refreshTokens.find(Secrets.hash(token))
                .filter(t -> t.client().equals(caller.id()) && t.state(clock.instant()) == RefreshToken.State.ACTIVE);
        if (found.isEmpty()) return INACTIVE;
        RefreshToken t = found.get();
        var builder = new TokenIntrospectionSuccessResponse.Builder(true)
                .clientID(t.client())
                .scope(t.scope())
                .expirationTime(Date.from(t.idleExpiresAt()))
                .issueTime(Date.from(t.createdAt()))
                .issuer(issuer)
                .parameter("token_type", "refresh_token");
        t.user().ifPresent(u -> builder.subject(new Subject(u.toString())));
        return builder.build();
    }
}
