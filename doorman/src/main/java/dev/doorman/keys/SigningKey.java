package dev.doorman.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One signing key as stored: its public JWK (with {@code kid}, {@code alg} and {@code use=sig}) and, until it retires,
 * its sealed private JWK. The key signs with {@code algorithm} and nothing else.
 *
 * @param activatedAt when it became active (empty while {@code NEXT})
 * @param retiredAt   when it stopped signing (empty unless {@code RETIRED})
 * @param privateJwk  the encrypted private part; empty once retired
 */
public record SigningKey(KeyId kid, JWSAlgorithm algorithm, KeyState state, Instant createdAt, Optional<Instant> activatedAt,
                         Optional<Instant> retiredAt, JWK publicJwk, Optional<SealedJwk> privateJwk) {
    public SigningKey {
        Objects.requireNonNull(kid, "kid");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(activatedAt, "activatedAt");
        Objects.requireNonNull(retiredAt, "retiredAt");
        Objects.requireNonNull(publicJwk, "publicJwk");
        Objects.requireNonNull(privateJwk, "privateJwk");
        if (publicJwk.isPrivate()) throw new IllegalArgumentException("the public JWK of " + kid + " holds private material");
        if (!kid.value().equals(publicJwk.getKeyID()) || !algorithm.equals(publicJwk.getAlgorithm()))
            throw new IllegalArgumentException("the public JWK of " + kid + " must carry that kid and alg " + algorithm);
    }

    /** Until when the key is published: for a retired key, until every token it signed has expired. */
    public Optional<Instant> publishedUntil() {
        return retiredAt.map(at -> at.plus(SigningKeys.RETIRED_KEY_LIFETIME));
    }

    SigningKey withState(KeyState newState, Instant at) {
        return switch (newState) {
            case NEXT -> new SigningKey(kid, algorithm, KeyState.NEXT, createdAt, Optional.empty(), Optional.empty(), publicJwk, privateJwk);
            case ACTIVE -> new SigningKey(kid, algorithm, KeyState.ACTIVE, createdAt, Optional.of(at), Optional.empty(), publicJwk, privateJwk);
            case RETIRED -> new SigningKey(kid, algorithm, KeyState.RETIRED, createdAt, activatedAt, Optional.of(at), publicJwk, Optional.empty());
        };
    }
}
