package dev.doorman.oauth2.revocation;

import com.nimbusds.oauth2.sdk.id.JWTID;
import dev.doorman.oauth2.token.TokensOf;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Access tokens revoked before their expiry (OA-21), by {@code jti}: honoured by introspection and userinfo, and
 * published to resource servers, which poll {@link #current()}. An entry lives until the token it names expires.
 * Instants come from the store's clock.
 */
public interface RevocationList {
    record RevokedToken(JWTID jti, Instant expiresAt) {
        public RevokedToken {
            Objects.requireNonNull(jti, "jti");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }

    /** Lists one token until {@code expiresAt}; listing it again changes nothing, and an expired token is not listed. */
    void revoke(JWTID jti, Instant expiresAt);

    /** Lists every unexpired access token of the ledger that {@code tokens} selects; returns how many were newly listed. */
    int revokeAll(TokensOf tokens);

    boolean isRevoked(JWTID jti);

    /** Every revoked token that has not expired yet, soonest expiry first: the feed for resource servers. */
    List<RevokedToken> current();

    /** Forgets expired tokens, both their revocations and their ledger entries; returns how many rows went. */
    int purgeExpired();
}
