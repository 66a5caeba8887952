package dev.doorman.oauth2.token;

import java.time.Duration;
import java.util.Optional;

/** Refresh tokens, by the SHA-256 of their value (OA-14 to OA-20). Instants come from the store's clock. */
public interface RefreshTokenStore {
    /** What presenting a token for rotation met. */
    sealed interface Rotation {
        /** The one winner: {@code previous} is now rotated, {@code next} is stored and is the family's only usable token. */
        record Rotated(RefreshToken previous, RefreshToken next) implements Rotation { }

        /** The token was already rotated (reuse, or the loser of a concurrent rotation): refuse, and revoke the family (OA-16). */
        record Reused(RefreshToken token) implements Rotation {
            public FamilyId family() {
                return token.family();
            }
        }

        /** Revoked earlier (logout, password change, revocation endpoint…). Nothing changed. */
        record Revoked(RefreshToken token) implements Rotation { }

        /** Past its idle window ({@code idle}) or its family's absolute lifetime. Nothing changed. */
        record Expired(RefreshToken token, boolean idle) implements Rotation { }
    }

    /** Stores a newly issued token (normally {@link RefreshToken#first}). */
    void save(RefreshToken token);

    /** The token in any state; check {@link RefreshToken#state} before trusting it. */
    Optional<RefreshToken> find(String tokenHash);

    /**
     * Atomic: of any number of concurrent rotations of one token exactly one sees {@code Rotated}; the others see
     * {@code Reused}. The successor is {@link RefreshToken#successor} of the stored row. Empty for an unknown token.
     */
    Optional<Rotation> rotate(String presentedHash, String nextHash, Duration idleTtl);

    /** Revokes every not yet revoked token selected (rotated ones included); returns how many rows changed. */
    int revoke(TokensOf tokens);
}
