package dev.doorman.oauth2.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.doorman.keys.TokenSigner;

/** A real signer on one key held in memory: for tests of what sits on top of {@link TokenSigner}. */
final class InMemorySigner implements TokenSigner {
    final JWK key;
    private final JWSAlgorithm alg;
    private final JWSSigner signer;

    private InMemorySigner(JWK key, JWSAlgorithm alg, JWSSigner signer) {
        this.key = key;
        this.alg = alg;
        this.signer = signer;
    }

    static InMemorySigner rsa(String kid) {
        try {
            var key = new RSAKeyGenerator(2048).keyID(kid).algorithm(JWSAlgorithm.RS256).keyUse(KeyUse.SIGNATURE).generate();
            return new InMemorySigner(key, JWSAlgorithm.RS256, new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static InMemorySigner ec(String kid) {
        try {
            var key = new ECKeyGenerator(Curve.P_256).keyID(kid).algorithm(JWSAlgorithm.ES256).keyUse(KeyUse.SIGNATURE).generate();
            return new InMemorySigner(key, JWSAlgorithm.ES256, new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static InMemorySigner ed25519(String kid) {
        try {
            var key = new com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator(Curve.Ed25519).keyID(kid).algorithm(JWSAlgorithm.EdDSA)
                    .keyUse(KeyUse.SIGNATURE).generate();
            return new InMemorySigner(key, JWSAlgorithm.EdDSA, new com.nimbusds.jose.crypto.Ed25519Signer(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public SignedJWT sign(JWTClaimsSet claims, JOSEObjectType type) {
        try {
            var jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(type).build(), claims);
            jwt.sign(signer);
            return jwt;
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public JWKSet publicKeys() {
        return new JWKSet(key.toPublicJWK());
    }
}
