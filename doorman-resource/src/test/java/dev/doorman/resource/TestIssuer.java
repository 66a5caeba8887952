package dev.doorman.resource;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpServer;
import dev.doorman.testkit.MutableClock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small issuer on a loopback port, speaking real HTTP: a discovery document, a JWKS with an RSA (RS256), an EC
 * P-256 (ES256) and an Ed25519 (EdDSA) key, and a revocation feed. It holds the private keys, so a test can sign
 * any header and payload byte for byte: each malicious token is then correct in everything but its one defect.
 */
final class TestIssuer implements AutoCloseable {
    static final String AUDIENCE = "https://tasks.example.org";
    static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

    final RSAKey rsa;
    final ECKey ec;
    final OctetKeyPair ed;
    final MutableClock clock = MutableClock.at(NOW);
    final AtomicInteger jwksFetches = new AtomicInteger();
    final List<Map<String, Object>> revoked = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private volatile JWKSet published;
    private volatile boolean failing;

    TestIssuer() {
        try {
            rsa = new RSAKeyGenerator(2048).keyID("rsa-1").algorithm(JWSAlgorithm.RS256).keyUse(KeyUse.SIGNATURE).generate();
            ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").algorithm(JWSAlgorithm.ES256).keyUse(KeyUse.SIGNATURE).generate();
            ed = new OctetKeyPairGenerator(Curve.Ed25519).keyID("ed-1").algorithm(JWSAlgorithm.EdDSA).keyUse(KeyUse.SIGNATURE).generate();
            published = new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK(), ed.toPublicJWK()));
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/.well-known/openid-configuration", exchange -> respond(exchange,
                "{\"issuer\":\"" + issuer() + "\",\"jwks_uri\":\"" + issuer() + "/jwks\"}"));
        server.createContext("/jwks", exchange -> {
            jwksFetches.incrementAndGet();
            respond(exchange, JSONObjectUtils.toJSONString(published.toJSONObject()));
        });
        server.createContext("/oauth2/revoked", exchange -> respond(exchange,
                JSONObjectUtils.toJSONString(Map.of("revoked", new ArrayList<Object>(revoked)))));
        server.start();
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A verifier for this issuer: RS256 and ES256 allowed (wider than the default, which the corpus must survive). */
    JwtAccessTokenVerifier verifier(String... algorithms) {
        return JwtAccessTokenVerifier.builder(URI.create(issuer()), AUDIENCE)
                .advanced(a -> a.algorithms(algorithms.length == 0 ? new String[]{"RS256", "ES256"} : algorithms).clock(clock))
                .build();
    }

    void publish(JWK... keys) {
        published = new JWKSet(List.of(keys));
    }

    void failing(boolean failing) {
        this.failing = failing;
    }

    /** Valid RFC 9068 claims, as Doorman issues them for a user: a map so tests can add, drop or retype anything. */
    Map<String, Object> claims() {
        long now = clock.instant().getEpochSecond();
        var claims = new LinkedHashMap<String, Object>();
        claims.put("iss", issuer());
        claims.put("aud", List.of(AUDIENCE));
        claims.put("sub", "3f8e2a4c-8d0b-4c61-9a57-0c9e6f1d2b7a");
        claims.put("client_id", "tasks-web");
        claims.put("iat", now);
        claims.put("nbf", now);
        claims.put("exp", now + 300);
        claims.put("jti", "jti-" + System.nanoTime());
        claims.put("scope", "openid tasks:read");
        claims.put("roles", List.of("member"));
        claims.put("auth_time", now - 60);
        claims.put("amr", List.of("pwd"));
        return claims;
    }

    static Map<String, Object> header(String alg, String kid) {
        var header = new LinkedHashMap<String, Object>();
        header.put("alg", alg);
        if (kid != null) header.put("kid", kid);
        header.put("typ", "at+jwt");
        return header;
    }

    /** Header and payload serialized exactly as given and signed by {@code signer} under {@code alg}. */
    static String signRaw(String headerJson, String payloadJson, JWSSigner signer, JWSAlgorithm alg) {
        String input = b64(headerJson) + "." + b64(payloadJson);
        try {
            Base64URL signature = signer.sign(new JWSHeader(alg), input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + signature;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String sign(Map<String, Object> header, Map<String, Object> claims, JWSSigner signer) {
        return signRaw(JSONObjectUtils.toJSONString(header), JSONObjectUtils.toJSONString(claims), signer,
                JWSAlgorithm.parse((String) header.get("alg")));
    }

    String rs256(Map<String, Object> claims) {
        return sign(header("RS256", "rsa-1"), claims, rsaSigner(rsa));
    }

    String es256(Map<String, Object> claims) {
        return sign(header("ES256", "ec-1"), claims, ecSigner(ec));
    }

    String eddsa(Map<String, Object> claims) {
        return sign(header("EdDSA", "ed-1"), claims, edSigner(ed));
    }

    static JWSSigner rsaSigner(RSAKey key) {
        try {
            return new RSASSASigner(key);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JWSSigner ecSigner(ECKey key) {
        try {
            return new ECDSASigner(key);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JWSSigner edSigner(OctetKeyPair key) {
        try {
            return new Ed25519Signer(key);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String b64(String json) {
        return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
    }

    static JOSEObjectType accessTokenType() {
        return new JOSEObjectType("at+jwt");
    }

    private void respond(com.sun.net.httpserver.HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (exchange) {
            if (failing) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
