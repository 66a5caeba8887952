package dev.doorman.resource;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The corpus of malicious and malformed access tokens (issue 4; SECURITY.md JW-01..JW-08). Each token is signed
 * correctly by the trusted key except for its one defect, unless the defect is the signature itself, and each must
 * be {@link Verification.Rejected}. The verifier allows RS256 and ES256, wider than the default, and first proves
 * that the untampered token of each kind is accepted, so no rejection here is vacuous.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MaliciousTokenCorpusTest {
    private TestIssuer issuer;
    private JwtAccessTokenVerifier verifier;
    private RSAKey attacker;

    @BeforeAll
    void start() throws Exception {
        issuer = new TestIssuer();
        verifier = issuer.verifier("RS256", "ES256");
        attacker = new RSAKeyGenerator(2048).keyID("rsa-1").algorithm(JWSAlgorithm.RS256).keyUse(KeyUse.SIGNATURE).generate();
    }

    @AfterAll
    void stop() {
        verifier.close();
        issuer.close();
    }

    private void assertRejected(String token) {
        assertThat(verifier.verify(token)).isInstanceOf(Verification.Rejected.class);
    }

    private String headerJson(String alg, String kid) {
        return JSONObjectUtils.toJSONString(TestIssuer.header(alg, kid));
    }

    private String claimsJson() {
        return JSONObjectUtils.toJSONString(issuer.claims());
    }

    @Test
    void baselineWhenTokensAreGenuineThenRs256AndEs256AreAccepted() {
        assertThat(verifier.verify(issuer.rs256(issuer.claims()))).isInstanceOf(Verification.Verified.class);
        assertThat(verifier.verify(issuer.es256(issuer.claims()))).isInstanceOf(Verification.Verified.class);
    }

    // --- alg none (JW-01) ---

    @Test
    void algNoneLowercaseWithEmptySignatureIsRejected() {
        assertRejected(TestIssuer.b64(headerJson("none", "rsa-1")) + "." + TestIssuer.b64(claimsJson()) + ".");
    }

    @Test
    void algNoneCapitalizedIsRejected() {
        assertRejected(TestIssuer.b64(headerJson("None", "rsa-1")) + "." + TestIssuer.b64(claimsJson()) + ".");
    }

    @Test
    void algNoneUppercaseWithAGenuineRs256SignatureAppendedIsRejected() {
        String genuine = issuer.rs256(issuer.claims());
        assertRejected(TestIssuer.b64(headerJson("NONE", "rsa-1")) + "." + genuine.split("\\.")[1] + "." + genuine.split("\\.")[2]);
    }

    @Test
    void algNoneMixedCaseIsRejected() {
        assertRejected(TestIssuer.b64(headerJson("nOnE", "rsa-1")) + "." + TestIssuer.b64(claimsJson()) + ".");
    }

    // --- key confusion (JW-02) ---

    @Test
    void hs256KeyedWithTheRsaPublicKeyIsRejected() throws Exception {
        byte[] publicKey = issuer.rsa.toRSAPublicKey().getEncoded();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(publicKey) + "\n-----END PUBLIC KEY-----\n";
        assertRejected(TestIssuer.sign(TestIssuer.header("HS256", "rsa-1"), issuer.claims(), new MACSigner(publicKey)));
        assertRejected(TestIssuer.sign(TestIssuer.header("HS256", "rsa-1"), issuer.claims(), new MACSigner(pem.getBytes(StandardCharsets.US_ASCII))));
        assertRejected(TestIssuer.sign(TestIssuer.header("HS256", "rsa-1"), issuer.claims(),
                new MACSigner(issuer.rsa.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void hs256KeyedWithTheEcPublicKeyIsRejected() throws Exception {
        byte[] publicKey = issuer.ec.toECPublicKey().getEncoded();
        assertRejected(TestIssuer.sign(TestIssuer.header("HS256", "ec-1"), issuer.claims(), new MACSigner(publicKey)));
    }

    @Test
    void ps256SignedWithTheRs256BoundKeyIsRejectedEvenWhenPs256IsAllowed() {
        try (var wide = issuer.verifier("RS256", "PS256")) {
            String token = TestIssuer.sign(TestIssuer.header("PS256", "rsa-1"), issuer.claims(), TestIssuer.rsaSigner(issuer.rsa));
            assertThat(wide.verify(token)).isInstanceOf(Verification.Rejected.class);
        }
    }

    @Test
    void rs256HeaderNamingTheEcKeyIsRejected() {
        assertRejected(TestIssuer.sign(TestIssuer.header("RS256", "ec-1"), issuer.claims(), TestIssuer.rsaSigner(issuer.rsa)));
    }

    @Test
    void ecdsaSignatureWithRAndSZeroIsRejected() {
        // CVE-2022-21449 ("psychic signatures"): r = s = 0 verified for any message on vulnerable JDKs.
        String input = TestIssuer.b64(headerJson("ES256", "ec-1")) + "." + TestIssuer.b64(claimsJson());
        assertRejected(input + "." + Base64URL.encode(new byte[64]));
        try (var esOnly = issuer.verifier("ES256")) {
            assertThat(esOnly.verify(input + "." + Base64URL.encode(new byte[64]))).isInstanceOf(Verification.Rejected.class);
        }
    }

    @Test
    void tokenSignedByAnotherKeyUnderTheSameKidIsRejected() {
        assertRejected(TestIssuer.sign(TestIssuer.header("RS256", "rsa-1"), issuer.claims(), TestIssuer.rsaSigner(attacker)));
    }

    // --- signature and payload tampering ---

    @Test
    void strippedSignatureIsRejected() {
        String[] parts = issuer.rs256(issuer.claims()).split("\\.");
        assertRejected(parts[0] + "." + parts[1] + ".");
        assertRejected(parts[0] + "." + parts[1]);
    }

    @Test
    void modifiedPayloadUnderTheOriginalSignatureIsRejected() {
        String[] parts = issuer.rs256(issuer.claims()).split("\\.");
        var claims = issuer.claims();
        claims.put("scope", "openid tasks:read tasks:admin");
        assertRejected(parts[0] + "." + TestIssuer.b64(JSONObjectUtils.toJSONString(claims)) + "." + parts[2]);
    }

    // --- kid as untrusted input (JW-03) ---

    @Test
    void kidWithPathTraversalIsRejected() {
        assertRejected(TestIssuer.sign(TestIssuer.header("RS256", "../../../../../../dev/null"), issuer.claims(), TestIssuer.rsaSigner(attacker)));
    }

    @Test
    void kidWithSqlInjectionIsRejected() {
        assertRejected(TestIssuer.sign(TestIssuer.header("RS256", "rsa-1' OR '1'='1"), issuer.claims(), TestIssuer.rsaSigner(attacker)));
        assertRejected(TestIssuer.sign(TestIssuer.header("RS256", "x'UNION/**/SELECT/**/'secret'--"), issuer.claims(), TestIssuer.rsaSigner(attacker)));
    }

    @Test
    void kidWithCommandInjectionIsRejected() {
        assertRejected(TestIssuer.sign(TestIssuer.header("RS256", "rsa-1|curl${IFS}http://127.0.0.1:1/;rm${IFS}-rf${IFS}/"), issuer.claims(),
                TestIssuer.rsaSigner(attacker)));
        assertRejected(TestIssuer.sign(TestIssuer.header("RS256", "$(id)`id`\u0000"), issuer.claims(), TestIssuer.rsaSigner(attacker)));
    }

    // --- keys from the token itself (JW-03) ---

    @Test
    void jkuPointingToAnAttackerServerIsRejectedAndNeverFetched() throws Exception {
        try (var listener = new Listener()) {
            var header = TestIssuer.header("RS256", "rsa-1");
            header.put("jku", listener.url() + "/jwks.json");
            assertRejected(TestIssuer.sign(header, issuer.claims(), TestIssuer.rsaSigner(attacker)));
            var unknownKid = TestIssuer.header("RS256", "attacker-kid");
            unknownKid.put("jku", listener.url() + "/jwks.json");
            assertRejected(TestIssuer.sign(unknownKid, issuer.claims(), TestIssuer.rsaSigner(attacker)));
            assertThat(listener.connections()).as("connections to the jku").isZero();
        }
    }

    @Test
    void x5uPointingToAnAttackerServerIsRejectedAndNeverFetched() throws Exception {
        try (var listener = new Listener()) {
            var header = TestIssuer.header("RS256", "rsa-1");
            header.put("x5u", listener.url() + "/cert.pem");
            assertRejected(TestIssuer.sign(header, issuer.claims(), TestIssuer.rsaSigner(attacker)));
            assertThat(listener.connections()).as("connections to the x5u").isZero();
        }
    }

    @Test
    void embeddedJwkOfTheAttackerIsRejected() {
        // CVE-2018-0114: a verifier that trusts the header's own jwk accepts anything its author signs.
        var header = TestIssuer.header("RS256", "rsa-1");
        header.put("jwk", attacker.toPublicJWK().toJSONObject());
        assertRejected(TestIssuer.sign(header, issuer.claims(), TestIssuer.rsaSigner(attacker)));
    }

    @Test
    void embeddedJwkOfTheTrustedKeyIsStillRejected() {
        var header = TestIssuer.header("RS256", "rsa-1");
        header.put("jwk", issuer.rsa.toPublicJWK().toJSONObject());
        assertRejected(TestIssuer.sign(header, issuer.claims(), TestIssuer.rsaSigner(issuer.rsa)));
    }

    @Test
    void embeddedX5cChainIsRejected() {
        var header = TestIssuer.header("RS256", "rsa-1");
        header.put("x5c", List.of(Base64.getEncoder().encodeToString(attacker.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8))));
        assertRejected(TestIssuer.sign(header, issuer.claims(), TestIssuer.rsaSigner(issuer.rsa)));
    }

    // --- time (JW-04) ---

    @Test
    void expiredBeyondTheSkewIsRejected() {
        var claims = issuer.claims();
        long now = issuer.clock.instant().getEpochSecond();
        claims.put("iat", now - 600);
        claims.put("nbf", now - 600);
        claims.put("exp", now - 31);
        assertRejected(issuer.rs256(claims));
    }

    @Test
    void notBeforeInTheFutureIsRejected() {
        var claims = issuer.claims();
        claims.put("nbf", issuer.clock.instant().getEpochSecond() + 120);
        assertRejected(issuer.rs256(claims));
    }

    @Test
    void issuedInTheFutureIsRejected() {
        var claims = issuer.claims();
        claims.put("iat", issuer.clock.instant().getEpochSecond() + 120);
        claims.remove("nbf");
        assertRejected(issuer.rs256(claims));
    }

    @Test
    void lifetimeLongerThanTheMaximumIsRejected() {
        var claims = issuer.claims();
        claims.put("exp", issuer.clock.instant().getEpochSecond() + 3600L * 24 * 365 * 10);
        assertRejected(issuer.rs256(claims));
    }

    @Test
    void missingExpIsRejected() {
        var claims = issuer.claims();
        claims.remove("exp");
        assertRejected(issuer.rs256(claims));
    }

    @Test
    void expAsAStringIsRejected() {
        var claims = issuer.claims();
        claims.put("exp", String.valueOf(issuer.clock.instant().getEpochSecond() + 300));
        assertRejected(issuer.rs256(claims));
    }

    // --- issuer, audience, required claims (JW-05) ---

    @Test
    void wrongIssuerIsRejected() {
        var claims = issuer.claims();
        claims.put("iss", "https://evil.example");
        assertRejected(issuer.rs256(claims));
        claims.put("iss", issuer.issuer() + "/");
        assertRejected(issuer.rs256(claims));
    }

    @Test
    void wrongAudienceIsRejected() {
        var claims = issuer.claims();
        claims.put("aud", List.of("https://payments.example.org"));
        assertRejected(issuer.rs256(claims));
        claims.remove("aud");
        assertRejected(issuer.rs256(claims));
    }

    @Test
    void missingSubIsRejected() {
        var claims = issuer.claims();
        claims.remove("sub");
        assertRejected(issuer.rs256(claims));
    }

    @Test
    void missingJtiOrClientIdIsRejected() {
        var noJti = issuer.claims();
        noJti.remove("jti");
        assertRejected(issuer.rs256(noJti));
        var noClient = issuer.claims();
        noClient.remove("client_id");
        assertRejected(issuer.rs256(noClient));
    }

    @Test
    void claimOfTheWrongTypeIsRejected() {
        var claims = issuer.claims();
        claims.put("roles", "admin");
        assertRejected(issuer.rs256(claims));
        var numericSub = issuer.claims();
        numericSub.put("sub", 42);
        assertRejected(issuer.rs256(numericSub));
    }

    // --- explicit typing (JW-06) ---

    @Test
    void typJwtInsteadOfAtJwtIsRejected() {
        var header = TestIssuer.header("RS256", "rsa-1");
        header.put("typ", "JWT");
        assertRejected(TestIssuer.sign(header, issuer.claims(), TestIssuer.rsaSigner(issuer.rsa)));
    }

    @Test
    void missingTypOrAnotherTokenTypeIsRejected() {
        var header = TestIssuer.header("RS256", "rsa-1");
        header.remove("typ");
        assertRejected(TestIssuer.sign(header, issuer.claims(), TestIssuer.rsaSigner(issuer.rsa)));
        header.put("typ", "dpop+jwt");
        assertRejected(TestIssuer.sign(header, issuer.claims(), TestIssuer.rsaSigner(issuer.rsa)));
        header.put("typ", "logout+jwt");
        assertRejected(TestIssuer.sign(header, issuer.claims(), TestIssuer.rsaSigner(issuer.rsa)));
    }

    @Test
    void typInOtherLetterCaseOrAsMediaTypeIsAccepted() {
        // RFC 8725 §3.11 / RFC 7515 §4.1.9: media types compare case-insensitively; "application/" may be omitted.
        var header = TestIssuer.header("RS256", "rsa-1");
        header.put("typ", "AT+JWT");
        assertThat(verifier.verify(TestIssuer.sign(header, issuer.claims(), TestIssuer.rsaSigner(issuer.rsa))))
                .isInstanceOf(Verification.Verified.class);
        header.put("typ", "application/at+jwt");
        assertThat(verifier.verify(TestIssuer.sign(header, issuer.claims(), TestIssuer.rsaSigner(issuer.rsa))))
                .isInstanceOf(Verification.Verified.class);
    }

    // --- structure (JW-07) ---

    @Test
    void critB64FalseIsRejected() {
        String header = "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"typ\":\"at+jwt\",\"b64\":false,\"crit\":[\"b64\"]}";
        assertRejected(TestIssuer.signRaw(header, claimsJson(), TestIssuer.rsaSigner(issuer.rsa), JWSAlgorithm.RS256));
    }

    @Test
    void unknownCritParameterIsRejected() {
        String header = "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"typ\":\"at+jwt\",\"crit\":[\"urn:example:must-understand\"],"
                + "\"urn:example:must-understand\":true}";
        assertRejected(TestIssuer.signRaw(header, claimsJson(), TestIssuer.rsaSigner(issuer.rsa), JWSAlgorithm.RS256));
    }

    @Test
    void emptyCritListIsRejected() {
        String header = "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"typ\":\"at+jwt\",\"crit\":[]}";
        assertRejected(TestIssuer.signRaw(header, claimsJson(), TestIssuer.rsaSigner(issuer.rsa), JWSAlgorithm.RS256));
    }

    @Test
    void nestedJweWrappingAGenuineTokenIsRejected() throws Exception {
        String inner = issuer.rs256(issuer.claims());
        var jwe = new JWEObject(new JWEHeader.Builder(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM).contentType("JWT").keyID("rsa-1").build(),
                new Payload(SignedJWT.parse(inner)));
        jwe.encrypt(new RSAEncrypter(issuer.rsa.toPublicJWK()));
        assertRejected(jwe.serialize());
    }

    @Test
    void jwsWrappingAnotherJwtWithCtyIsRejected() {
        var header = TestIssuer.header("RS256", "rsa-1");
        header.put("cty", "JWT");
        String inner = issuer.rs256(issuer.claims());
        assertRejected(TestIssuer.signRaw(JSONObjectUtils.toJSONString(header), inner, TestIssuer.rsaSigner(issuer.rsa), JWSAlgorithm.RS256));
    }

    @Test
    void jsonSerializationOfAGenuineTokenIsRejected() {
        String[] parts = issuer.rs256(issuer.claims()).split("\\.");
        assertRejected("{\"payload\":\"" + parts[1] + "\",\"protected\":\"" + parts[0] + "\",\"signature\":\"" + parts[2] + "\"}");
    }

    @Test
    void duplicateClaimIsRejected() {
        String payload = claimsJson().replaceFirst("\\{", "{\"sub\":\"admin\",");
        assertRejected(TestIssuer.signRaw(headerJson("RS256", "rsa-1"), payload, TestIssuer.rsaSigner(issuer.rsa), JWSAlgorithm.RS256));
    }

    @Test
    void duplicateMemberInsideANestedClaimIsRejected() {
        // Nimbus keeps the last of duplicates below the top level; we do not choose between them.
        String payload = claimsJson().replaceFirst("\\{", "{\"act\":{\"sub\":\"alice\",\"sub\":\"admin\"},");
        assertRejected(TestIssuer.signRaw(headerJson("RS256", "rsa-1"), payload, TestIssuer.rsaSigner(issuer.rsa), JWSAlgorithm.RS256));
    }

    @Test
    void duplicateHeaderParameterIsRejected() {
        String header = "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"typ\":\"at+jwt\",\"typ\":\"JWT\"}";
        assertRejected(TestIssuer.signRaw(header, claimsJson(), TestIssuer.rsaSigner(issuer.rsa), JWSAlgorithm.RS256));
    }

    @Test
    void paddedBase64IsRejected() {
        String token = issuer.rs256(issuer.claims());
        assertRejected(token + "=");
        String[] parts = token.split("\\.");
        assertRejected(parts[0] + "==." + parts[1] + "." + parts[2]);
    }

    @Test
    void signatureWithNonZeroTrailingBitsIsRejected() {
        // A 256-byte RSA signature is 342 characters; the last carries 2 unused bits. Flipping them keeps the
        // decoded bytes (Nimbus accepts the token) but makes another string: a malleable token.
        String token = issuer.rs256(issuer.claims());
        char last = token.charAt(token.length() - 1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int index = alphabet.indexOf(last);
        String altered = token.substring(0, token.length() - 1) + alphabet.charAt((index & ~3) | ((index + 1) & 3));
        assertThat(Base64URL.from(altered.split("\\.")[2]).decode()).isEqualTo(Base64URL.from(token.split("\\.")[2]).decode());
        assertRejected(altered);
    }

    @Test
    void standardBase64AlphabetIsRejected() {
        var claims = issuer.claims();
        claims.put("scope", "tasks:read ~~~>>>???");   // base64 of this has + and / in the standard alphabet
        String[] parts = issuer.rs256(claims).split("\\.");
        String payload = Base64.getEncoder().withoutPadding().encodeToString(Base64.getUrlDecoder().decode(parts[1]));
        String signature = Base64.getEncoder().withoutPadding().encodeToString(Base64.getUrlDecoder().decode(parts[2]));
        assertThat(payload + signature).containsAnyOf("+", "/");
        assertRejected(parts[0] + "." + payload + "." + signature);
    }

    @Test
    void byteOrderMarkBeforeTheHeaderIsRejected() {
        String header = "\uFEFF" + headerJson("RS256", "rsa-1");
        assertRejected(TestIssuer.signRaw(header, claimsJson(), TestIssuer.rsaSigner(issuer.rsa), JWSAlgorithm.RS256));
    }

    // --- size (JW-08) ---

    @Test
    void oversizedHeaderIsRejected() {
        String header = "{\"alg\":\"RS256\",\"kid\":\"rsa-1\"," + " ".repeat(2000) + "\"typ\":\"at+jwt\"}";
        assertRejected(TestIssuer.signRaw(header, claimsJson(), TestIssuer.rsaSigner(issuer.rsa), JWSAlgorithm.RS256));
    }

    @Test
    void oversizedTokenIsRejectedBeforeParsing() {
        var claims = issuer.claims();
        claims.put("padding", "x".repeat(9000));
        assertRejected(issuer.rs256(claims));
        assertRejected("a".repeat(1_000_000));
    }

    @Test
    void deeplyNestedClaimIsRejected() {
        String nested = "[".repeat(200) + "]".repeat(200);
        String payload = claimsJson().replaceFirst("\\{", "{\"deep\":" + nested + ",");
        assertRejected(TestIssuer.signRaw(headerJson("RS256", "rsa-1"), payload, TestIssuer.rsaSigner(issuer.rsa), JWSAlgorithm.RS256));
    }

    @Test
    void garbageIsRejected() {
        for (String garbage : List.of("", ".", "..", "a.b.c", "not a token", "eyJ.eyJ.eyJ", "\u0000", "a.b.c.d")) {
            assertRejected(garbage);
        }
        assertRejected(null);
    }

    // --- configuration (JW-01, JW-02) ---

    @Test
    void builderWhenAskedForSymmetricOrNoneAlgorithmsThenRefusesToBuild() {
        var builder = JwtAccessTokenVerifier.builder(java.net.URI.create(issuer.issuer()), TestIssuer.AUDIENCE);
        for (String alg : List.of("HS256", "HS384", "HS512", "none", "None")) {
            assertThatThrownBy(() -> builder.advanced(a -> a.algorithms(alg))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(alg);
        }
        assertThatThrownBy(() -> builder.advanced(a -> a.clockSkew(java.time.Duration.ofSeconds(61))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void esTokenOfACurveTheAlgorithmDoesNotNameIsRejected() throws Exception {
        var p384 = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(Curve.P_384).keyID("ec-1").generate();
        String input = TestIssuer.b64(headerJson("ES256", "ec-1")) + "." + TestIssuer.b64(claimsJson());
        var signature = java.security.Signature.getInstance("SHA256withECDSAinP1363Format");
        signature.initSign(p384.toECPrivateKey());
        signature.update(input.getBytes(StandardCharsets.US_ASCII));
        assertRejected(input + "." + Base64URL.encode(signature.sign()));
    }

    /** A loopback port that counts who connects: a jku or x5u must never be fetched. */
    private static final class Listener implements AutoCloseable {
        private final ServerSocket socket;
        private final AtomicInteger connections = new AtomicInteger();
        private final Thread thread;

        Listener() throws IOException {
            socket = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
            socket.setSoTimeout(100);
            thread = Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try (var ignored = socket.accept()) {
                        connections.incrementAndGet();
                    } catch (SocketTimeoutException e) {
                        // poll again
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }

        int connections() throws InterruptedException {
            Thread.sleep(200);
            return connections.get();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
