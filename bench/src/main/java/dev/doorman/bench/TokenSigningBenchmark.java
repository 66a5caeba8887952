package dev.doorman.bench;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.JdbiAuditStore;
import dev.doorman.db.Database;
import dev.doorman.db.DbSettings;
import dev.doorman.keys.JdbiSigningKeyStore;
import dev.doorman.keys.KeyEncryption;
import dev.doorman.keys.SigningKeys;
import dev.doorman.oauth2.OAuth2Settings;
import dev.doorman.support.Secrets;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Signing an access-token-sized JWT with {@link SigningKeys} (what the token endpoint pays per token, the active key
 * cached) and verifying one (parse and signature: what a resource server pays per request), for RS256 and EdDSA,
 * on 1 and 2 threads.
 * Run: {@code java -jar bench/target/benchmarks.jar TokenSigningBenchmark}
 * (a quick look: {@code -wi 1 -w 2s -i 2 -r 3s}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class TokenSigningBenchmark {
    private static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");

    @Param({"RS256", "EdDSA"})
    public String algorithm;

    private Path dir;
    private Database database;
    private SigningKeys keys;
    private JWTClaimsSet claims;
    private String token;
    private JWSVerifier verifier;

    @Setup
    public void setUp() throws IOException, JOSEException {
        var random = new SecureRandom();
        var clock = Clock.systemUTC();
        dir = Files.createTempDirectory("doorman-bench");
        database = Database.open(DbSettings.embedded(dir));
        database.migrate();
        String kek = Base64.getEncoder().encodeToString(new Secrets(random).newBytes(32));
        var settings = OAuth2Settings.defaults().withSigningAlgorithm(JWSAlgorithm.parse(algorithm)).withKeyEncryptionKey(kek);
        keys = SigningKeys.open(new JdbiSigningKeyStore(database.jdbi()), database, KeyEncryption.configured(kek, new Secrets(random)),
                settings, new AuditLog(new JdbiAuditStore(database.jdbi()), clock), clock, random);
        Instant now = clock.instant();
        // The RFC 9068 claims plus scope and roles, as the token issuer will mint them: about 700 bytes compact with RS256.
        claims = new JWTClaimsSet.Builder()
                .issuer("https://login.example.org").subject(UUID.randomUUID().toString()).audience("https://api.example.org")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(5)))).jwtID(UUID.randomUUID().toString())
                .claim("client_id", "s6BhdRkqt3").claim("scope", "openid profile email notes:read notes:write")
                .claim("roles", List.of("user", "editor")).build();
        token = keys.sign(claims, AT_JWT).serialize();
        JWK jwk = keys.publicKeys().getKeyByKeyId(keys.activeKeyId().value());
        verifier = jwk.getKeyType().getValue().equals("OKP") ? new Ed25519Verifier(jwk.toOctetKeyPair()) : new RSASSAVerifier(jwk.toRSAKey());
    }

    @TearDown
    public void tearDown() throws IOException {
        database.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @Benchmark
    @Threads(1)
    public String sign1Thread() {
        return keys.sign(claims, AT_JWT).serialize();
    }

    @Benchmark
    @Threads(2)
    public String sign2Threads() {
        return keys.sign(claims, AT_JWT).serialize();
    }

    @Benchmark
    @Threads(1)
    public boolean verify1Thread() throws ParseException, JOSEException {
        return SignedJWT.parse(token).verify(verifier);
    }

    @Benchmark
    @Threads(2)
    public boolean verify2Threads() throws ParseException, JOSEException {
        return SignedJWT.parse(token).verify(verifier);
    }
}
