package dev.doorman.keys;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Signs Doorman's tokens with the active signing key and publishes the keys that verify them.
 * Implemented by {@link SigningKeys}; the token issuer and the JWKS endpoint depend only on this.
 */
public interface TokenSigner {
    /** A compact JWS over the claims, signed with the active key; the header carries {@code kid}, {@code alg} and {@code typ}. */
    SignedJWT sign(JWTClaimsSet claims, JOSEObjectType type);

    /** Public keys only: the active one, the next one and retired ones whose tokens may still be valid. */
    JWKSet publicKeys();
}
