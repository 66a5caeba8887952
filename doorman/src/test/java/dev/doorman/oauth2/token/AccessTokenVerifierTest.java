package dev.doorman.oauth2.token;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import dev.doorman.oauth2.Authentication;
import dev.doorman.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The corpus of malicious and malformed tokens every verification point must refuse, plus the valid ones it must accept. */
class AccessTokenVerifierTest {
    private static final Issuer ISSUER = new Issuer("https://id.example.org");
    private static final String API = "https://id.example.org";
    private final MutableClock clock = MutableClock.at(Instant.parse("2026-11-28T10:00:00Z"));
    private final InMemorySigner signer = InMemorySigner.rsa("k1");
    private final TokenIssuer issuer = new TokenIssuer(signer, ISSUER, clock, () -> UUID.randomUUID().toString());
    private final Set<String> revoked = new java.util.HashSet<>();
    private final AccessTokenVerifier verifier = new AccessTokenVerifier(signer::publicKeys, ISSUER, Set.of(API), Duration.ofHours(1),
            clock, revoked::contains);

    /** user-1, who logged in with a password at {@code authTime}. */
    private static TokenIssuer.Principal.User passwordUser(Instant authTime, Optional<String> sessionId, List<String> roles) {
        return new TokenIssuer.Principal.User("user-1", Optional.of(new Authentication(authTime, List.of("pwd"), Optional.empty())), sessionId,
                roles);
    }

    private TokenIssuer.AccessToken valid() {
        var user = passwordUser(clock.instant(), Optional.of("sid-1"), List.of("admin"));
        return issuer.accessToken(user, new ClientID("s6BhdRkqt3"), List.of(new Audience(API)), new Scope("openid", "profile"), Duration.ofMinutes(5));
    }

    /** A token signed with the real key whose claims and header are changed first. */
    private String forged(UnaryOperator<JWTClaimsSet.Builder> claims, UnaryOperator<JWSHeader.Builder> header) {
        Instant now = clock.instant();
        var base = new JWTClaimsSet.Builder().issuer(ISSUER.getValue()).subject("user-1").audience(API)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300))).jwtID(UUID.randomUUID().toString())
                .claim("client_id", "s6BhdRkqt3").claim("scope", "openid");
        var h = header.apply(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").type(TokenIssuer.ACCESS_TOKEN_TYPE));
        try {
            var jwt = new SignedJWT(h.build(), claims.apply(base).build());
            jwt.sign(new com.nimbusds.jose.crypto.RSASSASigner((RSAKey) signer.key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private void assertRejected(String token) {
        assertThat(verifier.verify(token)).isInstanceOf(AccessTokenVerifier.Result.Invalid.class);
    }

    @Test
    void verifyWhenTokenWasIssuedByUsThenValidWithRfc9068Claims() throws Exception {
        var token = valid();
        var result = verifier.verify(token.value());
        assertThat(result).isInstanceOf(AccessTokenVerifier.Result.Valid.class);
        var claims = ((AccessTokenVerifier.Result.Valid) result).claims();
        assertThat(claims.getIssuer()).isEqualTo(ISSUER.getValue());
        assertThat(claims.getSubject()).isEqualTo("user-1");
        assertThat(claims.getAudience()).containsExactly(API);
        assertThat(claims.getJWTID()).isEqualTo(token.jti());
        assertThat(claims.getClaim("client_id")).isEqualTo("s6BhdRkqt3");
        assertThat(claims.getClaim("scope")).isEqualTo("openid profile");
        assertThat(claims.getStringListClaim("roles").toString()).contains("admin");
        assertThat(claims.getClaim("sid")).isEqualTo("sid-1");
    }

    @Test
    void verifyWhenAlgIsNoneInAnySpellingThenRejected() {
        String payload = valid().value().split("\\.")[1];
        for (String alg : List.of("none", "None", "NONE", "nOnE")) {
            assertRejected(b64("{\"alg\":\"" + alg + "\",\"typ\":\"at+jwt\"}") + "." + payload + ".");
            assertRejected(b64("{\"alg\":\"" + alg + "\",\"typ\":\"at+jwt\"}") + "." + payload + "." + b64("x"));
        }
    }

    @Test
    void verifyWhenHs256IsKeyedWithOurPublicKeyThenRejected() throws Exception {
        byte[] publicKeyBytes = ((RSAKey) signer.key).toRSAPublicKey().getEncoded();
        byte[] secret = java.util.Arrays.copyOf(publicKeyBytes, Math.max(32, publicKeyBytes.length));
        var claims = SignedJWT.parse(valid().value()).getJWTClaimsSet();
        var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").type(TokenIssuer.ACCESS_TOKEN_TYPE).build(), claims);
        jwt.sign(new MACSigner(secret));
        assertRejected(jwt.serialize());
        var pem = signer.key.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
        jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").type(TokenIssuer.ACCESS_TOKEN_TYPE).build(), claims);
        jwt.sign(new MACSigner(java.util.Arrays.copyOf(pem, Math.max(32, pem.length))));
        assertRejected(jwt.serialize());
    }

    @Test
    void verifyWhenSignatureIsStrippedOrPayloadAlteredThenRejected() {
        String[] parts = valid().value().split("\\.");
        assertRejected(parts[0] + "." + parts[1] + ".");
        assertRejected(parts[0] + "." + parts[1]);
        String otherPayload = b64(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("user-1", "admin-0"));
        assertRejected(parts[0] + "." + otherPayload + "." + parts[2]);
    }

    @Test
    void verifyWhenSignedByAnUnknownKeyEvenWithOurKidThenRejected() {
        var stranger = InMemorySigner.rsa("k1");
        var other = new TokenIssuer(stranger, ISSUER, clock, () -> "x");
        var user = passwordUser(clock.instant(), Optional.empty(), List.of());
        assertRejected(other.accessToken(user, new ClientID("c"), List.of(new Audience(API)), new Scope("openid"), Duration.ofMinutes(5)).value());
    }

    @Test
    void verifyWhenKidIsAPathOrInjectionThenRejectedWithoutAnyLookupByIt() {
        assertRejected(forged(c -> c, h -> h.keyID("../../../../etc/passwd")));
        assertRejected(forged(c -> c, h -> h.keyID("k1' OR '1'='1")));
    }

    @Test
    void verifyWhenHeaderCarriesKeysOrKeyUrlsThenRejected() throws Exception {
        assertRejected(forged(c -> c, h -> h.jwkURL(URI.create("http://127.0.0.1:9/jwks"))));
        assertRejected(forged(c -> c, h -> h.x509CertURL(URI.create("http://127.0.0.1:9/cert"))));
        assertRejected(forged(c -> c, h -> h.jwk(signer.key.toPublicJWK())));
        var attackerKey = InMemorySigner.rsa("evil");
        var claims = SignedJWT.parse(valid().value()).getJWTClaimsSet();
        var embedded = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).jwk(attackerKey.key.toPublicJWK())
                .type(TokenIssuer.ACCESS_TOKEN_TYPE).build(), claims);
        embedded.sign(new com.nimbusds.jose.crypto.RSASSASigner((RSAKey) attackerKey.key));
        assertRejected(embedded.serialize());
    }

    @Test
    void verifyWhenCritOrUnencodedPayloadThenRejected() {
        assertRejected(forged(c -> c, h -> h.criticalParams(Set.of("b64")).base64URLEncodePayload(false)));
        assertRejected(forged(c -> c, h -> h.criticalParams(Set.of("exp"))));
    }

    @Test
    void verifyWhenExpiredNotYetValidOrIssuedInTheFutureThenRejected() {
        String token = valid().value();
        clock.advance(Duration.ofMinutes(5).plusSeconds(61));
        assertRejected(token);
        clock.advance(Duration.ofMinutes(-6).minusSeconds(61));
        assertRejected(forged(c -> c.notBeforeTime(Date.from(clock.instant().plusSeconds(600))), h -> h));
        assertRejected(forged(c -> c.issueTime(Date.from(clock.instant().plusSeconds(600))).expirationTime(Date.from(clock.instant().plusSeconds(900))), h -> h));
    }

    @Test
    void verifyWhenExpIsMissingOrLifetimeLongerThanWeIssueThenRejected() {
        assertRejected(forged(c -> c.expirationTime(null), h -> h));
        assertRejected(forged(c -> c.expirationTime(Date.from(clock.instant().plus(Duration.ofHours(2)))), h -> h));
        assertRejected(forged(c -> c.expirationTime(Date.from(clock.instant().plus(Duration.ofDays(3650)))), h -> h));
    }

    @Test
    void verifyWhenIssuerAudienceOrRequiredClaimsAreWrongThenRejected() {
        assertRejected(forged(c -> c.issuer("https://id.example.org/"), h -> h));
        assertRejected(forged(c -> c.issuer("https://evil.example"), h -> h));
        assertRejected(forged(c -> c.audience("https://other-api.example"), h -> h));
        assertRejected(forged(c -> c.audience((String) null), h -> h));
        assertRejected(forged(c -> c.claim("client_id", null), h -> h));
        assertRejected(forged(c -> c.subject(null), h -> h));
        assertRejected(forged(c -> c.jwtID(null), h -> h));
    }

    @Test
    void verifyWhenTypIsJwtOrMissingThenRejectedSoAnIdTokenIsNoAccessToken() {
        assertRejected(forged(c -> c, h -> h.type(JOSEObjectType.JWT)));
        assertRejected(forged(c -> c, h -> h.type(null)));
        var user = passwordUser(clock.instant(), Optional.empty(), List.of());
        String idToken = issuer.idToken(user, new ClientID(API), Optional.empty(), Optional.empty(), Duration.ofMinutes(5), Map.of());
        assertRejected(idToken);
    }

    @Test
    void verifyWhenNotCompactCanonicalBase64UrlThenRejected() {
        String token = valid().value();
        String[] parts = token.split("\\.");
        assertRejected(parts[0] + "=." + parts[1] + "." + parts[2]);
        assertRejected(token + "=");
        assertRejected(token.replace('-', '+').replace('_', '/') + (token.contains("-") || token.contains("_") ? "" : "+"));
        char last = parts[2].charAt(parts[2].length() - 1);
        String nonCanonical = parts[2].substring(0, parts[2].length() - 1) + (char) (last == 'A' ? 'B' : last ^ 1);
        assertRejected(parts[0] + "." + parts[1] + "." + nonCanonical);
        assertRejected(token + ".e30.e30");   // a JWE has five parts
        assertRejected("{\"payload\":\"" + parts[1] + "\",\"signatures\":[]}");
        assertRejected(" " + token);
    }

    @Test
    void verifyWhenHeaderStartsWithAByteOrderMarkOrHasDuplicateMembersThenRejected() {
        String[] parts = valid().value().split("\\.");
        String header = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
        assertRejected(b64("\uFEFF" + header) + "." + parts[1] + "." + parts[2]);
        assertRejected(b64(header.replace("{", "{\"alg\":\"none\",")) + "." + parts[1] + "." + parts[2]);
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        assertRejected(parts[0] + "." + b64(payload.replace("{", "{\"sub\":\"admin-0\",")) + "." + parts[2]);
    }

    @Test
    void verifyWhenLargerThan8KiBThenRejectedBeforeAnyParsing() {
        assertRejected(forged(c -> c.claim("padding", "x".repeat(9000)), h -> h));
        assertRejected("a".repeat(1_000_000));
    }

    @Test
    void verifyWhenEcdsaSignatureIsAllZeroThenRejected() {
        var ec = InMemorySigner.ec("e1");
        var ecVerifier = new AccessTokenVerifier(ec::publicKeys, ISSUER, Set.of(API), Duration.ofHours(1), clock, j -> false);
        var ecIssuer = new TokenIssuer(ec, ISSUER, clock, () -> UUID.randomUUID().toString());
        var user = passwordUser(clock.instant(), Optional.empty(), List.of());
        String token = ecIssuer.accessToken(user, new ClientID("c"), List.of(new Audience(API)), new Scope("openid"), Duration.ofMinutes(5)).value();
        assertThat(ecVerifier.verify(token)).isInstanceOf(AccessTokenVerifier.Result.Valid.class);
        String[] parts = token.split("\\.");
        assertThat(ecVerifier.verify(parts[0] + "." + parts[1] + "." + Base64URL.encode(new byte[64])))
                .isInstanceOf(AccessTokenVerifier.Result.Invalid.class);
    }

    @Test
    void verifyWhenSignedWithEd25519ThenValidAndWhenAlteredThenRejected() {
        var ed = InMemorySigner.ed25519("ed1");
        var edVerifier = new AccessTokenVerifier(ed::publicKeys, ISSUER, Set.of(API), Duration.ofHours(1), clock, j -> false);
        var edIssuer = new TokenIssuer(ed, ISSUER, clock, () -> UUID.randomUUID().toString());
        var user = passwordUser(clock.instant(), Optional.empty(), List.of());
        String token = edIssuer.accessToken(user, new ClientID("c"), List.of(new Audience(API)), new Scope("openid"), Duration.ofMinutes(5)).value();
        assertThat(edVerifier.verify(token)).isInstanceOf(AccessTokenVerifier.Result.Valid.class);
        String[] parts = token.split("\\.");
        String altered = b64(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("user-1", "user-2"));
        assertThat(edVerifier.verify(parts[0] + "." + altered + "." + parts[2])).isInstanceOf(AccessTokenVerifier.Result.Invalid.class);
        assertThat(verifier.verify(token)).as("an Ed25519 token against the RSA key set").isInstanceOf(AccessTokenVerifier.Result.Invalid.class);
    }

    @Test
    void verifyWhenJtiIsOnTheRevocationListThenRejected() {
        var token = valid();
        revoked.add(token.jti());
        assertThat(verifier.verify(token.value())).isEqualTo(new AccessTokenVerifier.Result.Invalid("revoked"));
    }

    @Test
    void accessTokenWhenClientCredentialsThenSubjectIsTheClientAndNoUserClaims() throws Exception {
        var token = issuer.accessToken(new TokenIssuer.Principal.Client(), new ClientID("svc"), List.of(new Audience(API)), new Scope("tasks:read"), Duration.ofMinutes(5));
        var claims = SignedJWT.parse(token.value()).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("svc");
        assertThat(claims.getClaim(TokenIssuer.GRANT_TYPE_CLAIM)).isEqualTo("client_credentials");
        assertThat(claims.getClaims()).doesNotContainKeys("auth_time", "amr", "roles", "sid");
    }

    @Test
    void idTokenWhenIssuedWithAnAccessTokenThenAtHashIsTheLeftHalfOfItsSha256() throws Exception {
        var at = valid();
        var user = passwordUser(Instant.parse("2026-11-28T09:59:00Z"), Optional.of("sid-1"), List.of());
        var id = SignedJWT.parse(issuer.idToken(user, new ClientID("s6BhdRkqt3"), Optional.of(new com.nimbusds.openid.connect.sdk.Nonce("n-0S6_WzA2Mj")),
                Optional.of(at), Duration.ofMinutes(5), Map.of("email", "alice@example.org")));
        byte[] sha = java.security.MessageDigest.getInstance("SHA-256").digest(at.value().getBytes(StandardCharsets.US_ASCII));
        assertThat(id.getJWTClaimsSet().getStringClaim("at_hash"))
                .isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(sha, 16)));
        assertThat(id.getJWTClaimsSet().getStringClaim("nonce")).isEqualTo("n-0S6_WzA2Mj");
        assertThat(id.getJWTClaimsSet().getAudience()).containsExactly("s6BhdRkqt3");
        assertThat(id.getJWTClaimsSet().getLongClaim("auth_time")).isEqualTo(Instant.parse("2026-11-28T09:59:00Z").getEpochSecond());
        assertThat(id.getJWTClaimsSet().getStringClaim("email")).isEqualTo("alice@example.org");
        assertThat(id.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
    }

    @Test
    void accessTokenWhenTheAuthenticationIsUnknownThenItClaimsNoAuthTimeAmrOrAcrAndStillVerifies() throws Exception {
        var user = new TokenIssuer.Principal.User("user-1", Optional.empty(), Optional.of("sid-1"), List.of());
        var at = issuer.accessToken(user, new ClientID("s6BhdRkqt3"), List.of(new Audience(API)), new Scope("openid"), Duration.ofMinutes(5));

        var claims = SignedJWT.parse(at.value()).getJWTClaimsSet();
        assertThat(claims.getClaims()).doesNotContainKeys("auth_time", "amr", "acr");
        assertThat(claims.getSubject()).isEqualTo("user-1");
        assertThat(verifier.verify(at.value())).isInstanceOf(AccessTokenVerifier.Result.Valid.class);
    }

    @Test
    void idTokenWhenTheAuthenticationIsUnknownThenRefusedRatherThanIssuedWithoutAuthTime() {
        var user = new TokenIssuer.Principal.User("user-1", Optional.empty(), Optional.of("sid-1"), List.of());

        assertThatThrownBy(() -> issuer.idToken(user, new ClientID("s6BhdRkqt3"), Optional.empty(), Optional.empty(), Duration.ofMinutes(5),
                Map.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
