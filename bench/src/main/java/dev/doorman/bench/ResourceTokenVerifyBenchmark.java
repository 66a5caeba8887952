package dev.doorman.bench;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.doorman.resource.JwtAccessTokenVerifier;
import dev.doorman.resource.Verification;
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

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a resource server pays per request with doorman-resource: {@link JwtAccessTokenVerifier#verify} of a
 * Doorman-shaped access token with the JWKS cache warm (the size cap, strict-format and duplicate checks, the
 * signature, the claims, the revocation list lookup, the Subject), for RS256 and EdDSA on 1 and 2 threads.
 * The issuer is a loopback HTTP server in the same JVM, hit once at setup for its keys and every 30 s for the
 * (empty) revocation feed.
 * Run: {@code java -jar bench/target/benchmarks.jar ResourceTokenVerifyBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class ResourceTokenVerifyBenchmark {
    private static final String AUDIENCE = "tasks-api";

    @Param({"RS256", "EdDSA"})
    public String algorithm;

    private HttpServer issuer;
    private JwtAccessTokenVerifier verifier;
    private String token;

    @Setup
    public void setUp() throws Exception {
        JWK key = algorithm.equals("EdDSA")
                ? new OctetKeyPairGenerator(Curve.Ed25519).keyID("bench-ed").algorithm(JWSAlgorithm.EdDSA).generate()
                : new RSAKeyGenerator(2048).keyID("bench-rsa").algorithm(JWSAlgorithm.RS256).generate();
        JWSSigner signer = algorithm.equals("EdDSA") ? new Ed25519Signer(key.toOctetKeyPair()) : new RSASSASigner(key.toRSAKey());

        issuer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String base = "http://127.0.0.1:" + issuer.getAddress().getPort();
        serve("/.well-known/openid-configuration", "{\"issuer\":\"" + base + "\",\"jwks_uri\":\"" + base + "/jwks\"}");
        serve("/jwks", JSONObjectUtils.toJSONString(new JWKSet(key.toPublicJWK()).toJSONObject()));
        serve("/oauth2/revoked", "{\"revoked\":[{\"jti\":\"some-other-token\",\"exp\":" + (Instant.now().getEpochSecond() + 3600) + "}]}");
        issuer.start();

        verifier = JwtAccessTokenVerifier.builder(URI.create(base), AUDIENCE).advanced(a -> a.algorithms(algorithm)).build();
        Instant now = Instant.now();
        var claims = new JWTClaimsSet.Builder().issuer(base).audience(AUDIENCE).subject("3f8e2a4c-8d0b-4c61-9a57-0c9e6f1d2b7a")
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600)))
                .jwtID("Q2hKmZV1pDk2eXlQ7bJ3tA").claim("client_id", "tasks-web").claim("scope", "openid tasks:read tasks:write")
                .claim("auth_time", now.getEpochSecond()).claim("amr", List.of("pwd")).claim("roles", List.of("member", "editor"))
                .claim("sid", "c2Vzc2lvbg").build();
        var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.parse(algorithm)).keyID(key.getKeyID()).type(new JOSEObjectType("at+jwt")).build(), claims);
        jwt.sign(signer);
        token = jwt.serialize();
        // Warm: keys fetched, revocation feed read once.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Verification first = verifier.verify(token);
        while (!(first instanceof Verification.Verified) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            first = verifier.verify(token);
        }
        if (!(first instanceof Verification.Verified)) throw new IllegalStateException("the benchmark token does not verify: " + first);
    }

    private void serve(String path, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        issuer.createContext(path, exchange -> {
            try (exchange) {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        });
    }

    @TearDown
    public void tearDown() {
        verifier.close();
        issuer.stop(0);
    }

    @Benchmark
    @Threads(1)
    public Verification verify1Thread() {
        return verifier.verify(token);
    }

    @Benchmark
    @Threads(2)
    public Verification verify2Threads() {
        return verifier.verify(token);
    }
}
