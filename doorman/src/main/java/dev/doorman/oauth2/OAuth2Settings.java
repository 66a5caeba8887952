package dev.doorman.oauth2;

import com.nimbusds.jose.JWSAlgorithm;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Token lifetimes and signing. The issuer is the configured base URL.
 *
 * @param keyEncryptionKey base64 of a 256-bit AES key that encrypts private signing keys at rest; production
 *                         mode refuses to start without one (dev mode derives a per-database one and says so)
 * @param keyRotation      how often a new signing key becomes active (empty: only by {@code keys rotate})
 */
public record OAuth2Settings(Duration codeTtl, Duration accessTokenTtl, Duration refreshTokenIdleTtl, Duration refreshTokenAbsoluteTtl,
                             JWSAlgorithm signingAlgorithm, Optional<String> keyEncryptionKey, Optional<Duration> keyRotation) {
    public static final Set<JWSAlgorithm> SUPPORTED_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256, JWSAlgorithm.EdDSA);

    public OAuth2Settings {
        Objects.requireNonNull(signingAlgorithm, "signingAlgorithm");
        if (codeTtl.isNegative() || codeTtl.isZero() || codeTtl.compareTo(Duration.ofSeconds(60)) > 0)
            throw new IllegalArgumentException("authorization code lifetime must be between 1 and 60 seconds");
        if (accessTokenTtl.isNegative() || accessTokenTtl.isZero() || accessTokenTtl.compareTo(Duration.ofHours(1)) > 0)
            throw new IllegalArgumentException("access token lifetime must be positive and at most 1 hour");
        if (refreshTokenAbsoluteTtl.compareTo(refreshTokenIdleTtl) < 0)
            throw new IllegalArgumentException("refresh token absolute lifetime must not be shorter than its idle lifetime");
        if (!SUPPORTED_ALGORITHMS.contains(signingAlgorithm))
            throw new IllegalArgumentException("signing algorithm must be one of RS256, PS256, ES256, EdDSA");
    }

    public static OAuth2Settings defaults() {
        return new OAuth2Settings(Duration.ofSeconds(60), Duration.ofMinutes(5), Duration.ofDays(14), Duration.ofDays(30),
                JWSAlgorithm.RS256, Optional.empty(), Optional.empty());
    }
}
