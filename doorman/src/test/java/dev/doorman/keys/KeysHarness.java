package dev.doorman.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.JdbiAuditStore;
import dev.doorman.db.Database;
import dev.doorman.db.DbSettings;
import dev.doorman.oauth2.OAuth2Settings;
import dev.doorman.support.ClientInfo;
import dev.doorman.support.Secrets;
import dev.doorman.testkit.MutableClock;

import java.security.Key;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Signing-key "nodes" on one real database: each node is its own pool and {@link SigningKeys}, as two Doorman
 * processes sharing the database would be, all reading one {@link MutableClock}.
 */
final class KeysHarness implements AutoCloseable {
    static final String KEK = "q2E9XsS8oOTvM3C1Kx7m0g5NnUe6lP4bYw1zRjAhcDI=";
    static final String OTHER_KEK = "Wm7k1Jc0v8yXb3Qe5TnR2uLs9PdHa6fG4iKoZw0xYtE=";
    static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");
    static final ClientInfo OPERATOR = new ClientInfo("", "test operator");

    final MutableClock clock = MutableClock.at(Instant.parse("2026-03-01T09:00:00Z"));
    final SecureRandom random = new SecureRandom();
    private final DbSettings db;
    private final List<AutoCloseable> opened = new ArrayList<>();

    KeysHarness(DbSettings db) {
        this.db = db;
        try (var database = Database.open(db)) {
            database.migrate();
        }
    }

    /** A new pool on the shared database. */
    Database database() {
        var database = Database.open(db);
        opened.add(database);
        return database;
    }

    SigningKeys node(OAuth2Settings settings) {
        return node(database(), settings);
    }

    SigningKeys node(Database database, OAuth2Settings settings) {
        var encryption = KeyEncryption.configured(settings.keyEncryptionKey().orElseThrow(), new Secrets(random));
        return SigningKeys.open(new JdbiSigningKeyStore(database.jdbi()), database, encryption, settings,
                new AuditLog(new JdbiAuditStore(database.jdbi()), clock), clock, random);
    }

    static OAuth2Settings settings(JWSAlgorithm algorithm) {
        return OAuth2Settings.defaults().withSigningAlgorithm(algorithm).withKeyEncryptionKey(KEK);
    }

    /** Access-token claims relative to the harness clock. */
    JWTClaimsSet claims() {
        Instant now = clock.instant();
        return new JWTClaimsSet.Builder().issuer("https://id.example.org").subject("248289761001").audience("https://api.example.org")
                .claim("client_id", "s6BhdRkqt3").issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
                .jwtID(UUID.randomUUID().toString()).build();
    }

    /** Verifies as a resource server would: typ at+jwt, a key chosen by kid from the JWKS for that alg, exp/nbf on the clock. */
    static JWTClaimsSet verify(String token, JWKSet jwks, JWSAlgorithm algorithm, Clock clock) throws BadJOSEException, JOSEException {
        var processor = processor(jwks, algorithm);
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(null, Set.of("exp", "iat", "jti")) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        });
        try {
            return processor.process(token, null);
        } catch (ParseException e) {
            throw new AssertionError("not a JWT: " + token, e);
        }
    }

    /** Whether the token's signature verifies against the JWKS, whatever its expiry: is its key still published? */
    static boolean signatureVerifies(String token, JWKSet jwks, JWSAlgorithm algorithm) {
        var processor = processor(jwks, algorithm);
        processor.setJWTClaimsSetVerifier((claims, context) -> { });
        try {
            processor.process(token, null);
            return true;
        } catch (BadJOSEException | JOSEException | ParseException e) {
            return false;
        }
    }

    /**
     * Nimbus' DefaultJWTProcessor, accepting only {@code algorithm} and {@code typ: at+jwt}. For RS256, PS256 and ES256
     * it is used as it comes. For EdDSA it needs two adapters, because out of the box it cannot verify EdDSA at all:
     * {@code JWSVerificationKeySelector} turns JWKs into {@code java.security.Key}s through {@code KeyConverter}, which
     * silently drops OKP keys, and {@code DefaultJWSVerifierFactory} has no Ed25519 verifier. Any resource server that
     * verifies our EdDSA tokens with Nimbus (or Spring Security, built on it) needs the same.
     */
    static DefaultJWTProcessor<SecurityContext> processor(JWKSet jwks, JWSAlgorithm algorithm) {
        var processor = new DefaultJWTProcessor<SecurityContext>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(AT_JWT));
        if (!algorithm.equals(JWSAlgorithm.EdDSA)) {
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithm, new ImmutableJWKSet<>(jwks)));
            return processor;
        }
        processor.setJWSKeySelector((header, context) -> {
            JWKMatcher matcher = header.getAlgorithm().equals(algorithm) ? JWKMatcher.forJWSHeader(header) : null;
            if (matcher == null) return List.of();
            return new JWKSelector(matcher).select(jwks).stream().filter(OctetKeyPair.class::isInstance)
                    .map(jwk -> new OkpPublicKey((OctetKeyPair) jwk)).toList();
        });
        processor.setJWSVerifierFactory(new DefaultJWSVerifierFactory() {
            @Override
            public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
                return key instanceof OkpPublicKey okp ? new Ed25519Verifier(okp.jwk()) : super.createJWSVerifier(header, key);
            }
        });
        return processor;
    }

    /** An Ed25519 public JWK carried where Nimbus' processor expects a {@code java.security.Key}. */
    record OkpPublicKey(OctetKeyPair jwk) implements PublicKey {
        OkpPublicKey {
            jwk = jwk.toPublicJWK();
        }

        @Override
        public String getAlgorithm() {
            return "Ed25519";
        }

        @Override
        public String getFormat() {
            return null;
        }

        @Override
        public byte[] getEncoded() {
            return null;
        }
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : opened.reversed()) c.close();
    }
}
