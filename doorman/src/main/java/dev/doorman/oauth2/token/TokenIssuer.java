package dev.doorman.oauth2.token;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.claims.AccessTokenHash;
import dev.doorman.keys.TokenSigner;
import dev.doorman.oauth2.Authentication;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Mints Doorman's JWTs: access tokens per RFC 9068 ({@code typ: at+jwt}) and ID tokens per OIDC Core §2.
 * Claims come from typed values; nothing from a request reaches a claim unchecked.
 */
public final class TokenIssuer {
    public static final JOSEObjectType ACCESS_TOKEN_TYPE = new JOSEObjectType("at+jwt");
    /** Marks an access token that speaks for a client, not a user (OA-24): client-credentials tokens carry no user claims. */
    public static final String GRANT_TYPE_CLAIM = "gty";

    /** Who the token is about: a user (with how they authenticated) or the client itself (client credentials). */
    public sealed interface Principal {
        /**
         * @param authentication how the user authenticated for the grant ({@code auth_time}, {@code amr}, {@code acr});
         *                       empty when unknown (a refresh family from before V10): then no such claims at all, and
         *                       no ID token, rather than claims nobody can vouch for
         */
        record User(String userId, Optional<Authentication> authentication, Optional<String> sessionId, List<String> roles)
                implements Principal {
            public User {
                Objects.requireNonNull(authentication, "authentication");
                roles = List.copyOf(roles);
            }
        }

        record Client() implements Principal { }
    }

    public record AccessToken(String value, String jti, Instant issuedAt, Instant expiresAt, Scope scope) {
        @Override
        public String toString() {
            return "AccessToken[jti=" + jti + ", expiresAt=" + expiresAt + "]";
        }
    }

    private final TokenSigner signer;
    private final Issuer issuer;
    private final Clock clock;
    private final Supplier<String> jtis;

    /** @param jtis fresh unique token ids (random, 128 bits or more) */
    public TokenIssuer(TokenSigner signer, Issuer issuer, Clock clock, Supplier<String> jtis) {
        this.signer = signer;
        this.issuer = issuer;
        this.clock = clock;
        this.jtis = jtis;
    }

    public Issuer issuer() {
        return issuer;
    }

    public AccessToken accessToken(Principal principal, ClientID client, List<Audience> audiences, Scope scope, Duration ttl) {
        Objects.requireNonNull(scope, "scope");
        if (audiences.isEmpty()) throw new IllegalArgumentException("an access token needs an audience");
        Instant now = clock.instant();
        Instant expires = now.plus(ttl);
        String jti = jtis.get();
        var claims = new JWTClaimsSet.Builder()
                .issuer(issuer.getValue())
                .audience(Audience.toStringList(audiences))
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(expires))
                .jwtID(jti)
                .claim("client_id", client.getValue())
                .claim("scope", scope.toString());
        switch (principal) {
            case Principal.User user -> {
                claims.subject(user.userId()).claim("roles", user.roles());
                user.authentication().ifPresent(a -> authenticationClaims(claims, a));
                user.sessionId().ifPresent(sid -> claims.claim("sid", sid));
            }
            case Principal.Client c -> claims.subject(client.getValue()).claim(GRANT_TYPE_CLAIM, "client_credentials");
        }
        String value = signer.sign(claims.build(), ACCESS_TOKEN_TYPE).serialize();
        return new AccessToken(value, jti, now, expires, scope);
    }

    /**
     * An ID token for the client, about the user. {@code at_hash} binds it to the access token issued beside it.
     *
     * @param user        must know how the user authenticated: every ID token has {@code auth_time} (OI-02)
     * @param nonce       the authentication request's; none on a refresh (OIDC Core §12.2)
     * @param extraClaims standard claims granted by scope (email, name…), already filtered by the caller
     */
    public String idToken(Principal.User user, ClientID client, Optional<Nonce> nonce, Optional<AccessToken> accessToken,
                          Duration ttl, Map<String, Object> extraClaims) {
        Authentication authentication = user.authentication()
                .orElseThrow(() -> new IllegalArgumentException("an ID token needs to know how the user authenticated"));
        Instant now = clock.instant();
        var claims = new JWTClaimsSet.Builder();
        extraClaims.forEach(claims::claim);
        claims.issuer(issuer.getValue())
                .subject(user.userId())
                .audience(client.getValue())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(jtis.get())
                .claim("azp", client.getValue());
        authenticationClaims(claims, authentication);
        user.sessionId().ifPresent(sid -> claims.claim("sid", sid));
        nonce.ifPresent(n -> claims.claim("nonce", n.getValue()));
        if (accessToken.isEmpty()) return signer.sign(claims.build(), JOSEObjectType.JWT).serialize();
        // at_hash uses the hash of the ID token's own algorithm. The access token was signed a moment ago by the
        // same key; should a rotation to another algorithm fall in between, compute again for the new one.
        JWSAlgorithm alg = algorithmOf(accessToken.get().value());
        for (int attempt = 0; ; attempt++) {
            claims.claim("at_hash", atHash(accessToken.get(), alg));
            SignedJWT idToken = signer.sign(claims.build(), JOSEObjectType.JWT);
            JWSAlgorithm used = idToken.getHeader().getAlgorithm();
            if (used.equals(alg) || attempt > 0) return idToken.serialize();
            alg = used;
        }
    }

    /** {@code auth_time} (seconds), {@code amr} and, when one was reached, {@code acr}: the same in access and ID tokens. */
    private static void authenticationClaims(JWTClaimsSet.Builder claims, Authentication authentication) {
        claims.claim("auth_time", authentication.authTime().getEpochSecond()).claim("amr", authentication.amr());
        authentication.acr().ifPresent(acr -> claims.claim("acr", acr));
    }

    private static String atHash(AccessToken accessToken, JWSAlgorithm alg) {
        Curve curve = JWSAlgorithm.EdDSA.equals(alg) ? Curve.Ed25519 : null;
        return AccessTokenHash.compute(new BearerAccessToken(accessToken.value()), alg, curve).getValue();
    }

    private static JWSAlgorithm algorithmOf(String jws) {
        try {
            return SignedJWT.parse(jws).getHeader().getAlgorithm();
        } catch (java.text.ParseException e) {
            throw new IllegalStateException("an access token we just signed does not parse", e);
        }
    }
}
