package dev.doorman.oauth2;

import com.nimbusds.jose.JWSAlgorithm;

import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Token lifetimes and signing. The issuer is the configured base URL.
 *
 * @param keyEncryptionKey base64 of a 256-bit AES key that encrypts private signing keys at rest; production
 *                         mode refuses to start without one (dev mode generates one, keeps it in the database and
 *                         says so). Never printed: {@link #toString()} leaves it out
 * @param keyRotation      how often a new signing key becomes active, at least {@link #MIN_KEY_ROTATION}
 *                         (empty: only by {@code keys rotate})
 */
public record OAuth2Settings(Duration codeTtl, Duration accessTokenTtl, Duration refreshTokenIdleTtl, Duration refreshTokenAbsoluteTtl,
                             JWSAlgorithm signingAlgorithm, Optional<String> keyEncryptionKey, Optional<Duration> keyRotation) {
    public static final Set<JWSAlgorithm> SUPPORTED_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256, JWSAlgorithm.EdDSA);
    /** Shorter intervals would activate keys that resource servers caching the JWKS have not seen yet. */
    public static final Duration MIN_KEY_ROTATION = Duration.ofHours(1);
    private static final int KEY_ENCRYPTION_KEY_BYTES = 32;

    public OAuth2Settings {
        Objects.requireNonNull(signingAlgorithm, "signingAlgorithm");
        Objects.requireNonNull(keyEncryptionKey, "keyEncryptionKey");
        Objects.requireNonNull(keyRotation, "keyRotation");
        if (codeTtl.isNegative() || codeTtl.isZero() || codeTtl.compareTo(Duration.ofSeconds(60)) > 0)
            throw new IllegalArgumentException("authorization code lifetime must be between 1 and 60 seconds");
        if (accessTokenTtl.isNegative() || accessTokenTtl.isZero() || accessTokenTtl.compareTo(Duration.ofHours(1)) > 0)
            throw new IllegalArgumentException("access token lifetime must be positive and at most 1 hour");
        if (refreshTokenAbsoluteTtl.compareTo(refreshTokenIdleTtl) < 0)
            throw new IllegalArgumentException("refresh token absolute lifetime must not be shorter than its idle lifetime");
        if (!SUPPORTED_ALGORITHMS.contains(signingAlgorithm))
            throw new IllegalArgumentException("signing algorithm must be one of RS256, PS256, ES256, EdDSA");
        keyEncryptionKey.ifPresent(OAuth2Settings::decodeKeyEncryptionKey);
        if (keyRotation.isPresent() && keyRotation.get().compareTo(MIN_KEY_ROTATION) < 0)
            throw new IllegalArgumentException("key rotation interval must be at least 1 hour");
    }

    public static OAuth2Settings defaults() {
        return new OAuth2Settings(Duration.ofSeconds(60), Duration.ofMinutes(5), Duration.ofDays(14), Duration.ofDays(30),
                JWSAlgorithm.RS256, Optional.empty(), Optional.empty());
    }

    public OAuth2Settings withKeyEncryptionKey(String base64) {
        return new OAuth2Settings(codeTtl, accessTokenTtl, refreshTokenIdleTtl, refreshTokenAbsoluteTtl, signingAlgorithm,
                Optional.of(base64), keyRotation);
    }

    public OAuth2Settings withSigningAlgorithm(JWSAlgorithm algorithm) {
        return new OAuth2Settings(codeTtl, accessTokenTtl, refreshTokenIdleTtl, refreshTokenAbsoluteTtl, algorithm,
                keyEncryptionKey, keyRotation);
    }

    public OAuth2Settings withKeyRotation(Duration every) {
        return new OAuth2Settings(codeTtl, accessTokenTtl, refreshTokenIdleTtl, refreshTokenAbsoluteTtl, signingAlgorithm,
                keyEncryptionKey, Optional.of(every));
    }

    /**
     * The 32 key bytes of a key-encryption key given as base64 (standard or URL-safe alphabet).
     *
     * @throws IllegalArgumentException (without the value in its message) when it is not base64 of exactly 32 bytes
     */
    public static byte[] decodeKeyEncryptionKey(String base64) {
        String text = base64.strip();
        byte[] key;
        try {
            key = (text.indexOf('-') >= 0 || text.indexOf('_') >= 0 ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the key-encryption key is not base64: give base64 of 32 random bytes (openssl rand -base64 32)");
        }
        if (key.length != KEY_ENCRYPTION_KEY_BYTES)
            throw new IllegalArgumentException("the key-encryption key must be 32 bytes (256 bits), got " + key.length
                    + ": give base64 of 32 random bytes (openssl rand -base64 32)");
        return key;
    }

    /** Everything but the key-encryption key, which is a secret. */
    @Override
    public String toString() {
        return "OAuth2Settings[codeTtl=" + codeTtl + ", accessTokenTtl=" + accessTokenTtl + ", refreshTokenIdleTtl=" + refreshTokenIdleTtl
                + ", refreshTokenAbsoluteTtl=" + refreshTokenAbsoluteTtl + ", signingAlgorithm=" + signingAlgorithm
                + ", keyEncryptionKey=" + (keyEncryptionKey.isPresent() ? "(set)" : "(none)") + ", keyRotation=" + keyRotation + "]";
    }
}
