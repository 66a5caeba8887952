package dev.doorman.client;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import dev.doorman.audit.AuditEvent;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditType;
import dev.doorman.client.ClientAuthenticator.Result;
import dev.doorman.support.ClientInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Client authentication as the token endpoint will call it, with credentials parsed by Nimbus as the edge parses them. */
class ClientAuthenticatorTest {
    static final ClientInfo FROM = new ClientInfo("203.0.113.7", "test-client/1.0");
    static final Result.Failed INVALID_CLIENT = new Result.Failed(OAuth2Error.INVALID_CLIENT, false);
    static final Result.Failed INVALID_CLIENT_BASIC = new Result.Failed(OAuth2Error.INVALID_CLIENT, true);

    @TempDir
    Path dir;
    ClientHarness h;
    Secret basicSecret;
    Secret postSecret;
    RSAKey rsa = TestClients.rsaKey("rsa-1");
    ECKey ec;

    @BeforeEach
    void register() throws JOSEException {
        h = ClientHarness.sqlite(dir);
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        basicSecret = created(TestClients.confidential().build()).secret().orElseThrow();
        postSecret = created(TestClients.confidential().id("post-client").authMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST).build())
                .secret().orElseThrow();
        created(TestClients.publicApp().build());
        created(ClientRegistration.confidential("Billing job").id("billing-job").grantType("client_credentials")
                .authMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
                .jwks(new JWKSet(List.<JWK>of(rsa, ec)).toString(true)).build());
    }

    @AfterEach
    void close() {
        h.close();
    }

    private CreateClientOutcome.Created created(ClientRegistration r) {
        return (CreateClientOutcome.Created) h.service().create(r, ClientInfo.unknown());
    }

    /** Each call a millisecond later, so that the audit trail (ordered by time) keeps the calls' order. */
    private Result authenticate(ClientAuthentication auth) {
        h.clock.advance(Duration.ofMillis(1));
        return h.authenticator().authenticate(Optional.of(auth), Optional.empty(), ClientHarness.TOKEN_ENDPOINT, FROM);
    }

    private Instant now() {
        return h.clock.instant();
    }

    private JWTClaimsSet.Builder claims(String clientId) {
        return new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(ClientHarness.TOKEN_ENDPOINT.toString())
                .issueTime(Date.from(now())).expirationTime(Date.from(now().plusSeconds(60))).jwtID(UUID.randomUUID().toString());
    }

    private static String sign(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) {
        try {
            var jwt = new SignedJWT(header, claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private String rs256(JWTClaimsSet claims) {
        try {
            return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(), claims, new RSASSASigner(rsa));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token request form carrying the assertion, parsed as the token endpoint parses it (Nimbus picks the method by alg). */
    private static ClientAuthentication assertion(String compact) throws ParseException {
        var request = new HTTPRequest(HTTPRequest.Method.POST, ClientHarness.TOKEN_ENDPOINT);
        request.setContentType("application/x-www-form-urlencoded");
        request.setBody(URLUtils.serializeParameters(Map.of("grant_type", List.of("client_credentials"),
                "client_assertion_type", List.of(PrivateKeyJWT.CLIENT_ASSERTION_TYPE), "client_assertion", List.of(compact))));
        return ClientAuthentication.parse(request);
    }

    private Result authenticateAssertion(String compact) {
        try {
            return authenticate(assertion(compact));
        } catch (ParseException e) {
            throw new AssertionError("Nimbus refused the assertion before we saw it: " + e.getMessage(), e);
        }
    }

    private AuditEvent lastAudit() {
        return h.audit().getLast();
    }

    // --- client_secret_basic / client_secret_post ---

    @Test
    void authenticateWhenBasicWithRightSecretThenAuthenticatedAsThatClient() {
        var result = authenticate(new ClientSecretBasic(new ClientID("s6BhdRkqt3"), basicSecret));

        assertThat(result).isInstanceOf(Result.Authenticated.class);
        assertThat(((Result.Authenticated) result).client().id()).isEqualTo(new ClientID("s6BhdRkqt3"));
    }

    @Test
    void authenticateWhenBasicWithWrongSecretThenInvalidClientWithBasicUsedAndAudited() {
        var result = authenticate(new ClientSecretBasic(new ClientID("s6BhdRkqt3"), new Secret(basicSecret.getValue() + "x")));

        assertThat(result).isEqualTo(INVALID_CLIENT_BASIC);
        AuditEvent event = lastAudit();
        assertThat(event.type()).isEqualTo(AuditType.CLIENT_AUTHENTICATION_FAILED);
        assertThat(event.outcome()).isEqualTo(AuditEvent.Outcome.FAILURE);
        assertThat(event.reason()).contains("invalid_secret");
        assertThat(event.subjectHint()).contains("s6BhdRkqt3");
        assertThat(event.client()).isEqualTo(FROM);
    }

    @Test
    void authenticateWhenBasicWithUnknownClientThenInvalidClientAndOnlyAHashOfTheIdAudited() {
        var result = authenticate(new ClientSecretBasic(new ClientID("nobody"), basicSecret));

        assertThat(result).isEqualTo(INVALID_CLIENT_BASIC);
        assertThat(lastAudit().reason()).contains("unknown_client");
        assertThat(lastAudit().subjectHint()).contains(AuditLog.hint("nobody"));
    }

    @Test
    void authenticateWhenPostWithRightOrWrongSecretThenAuthenticatedOrInvalidClientWithoutBasic() {
        var ok = authenticate(new ClientSecretPost(new ClientID("post-client"), postSecret));
        var wrong = authenticate(new ClientSecretPost(new ClientID("post-client"), basicSecret));

        assertThat(ok).isInstanceOf(Result.Authenticated.class);
        assertThat(wrong).isEqualTo(INVALID_CLIENT);
    }

    @Test
    void authenticateWhenMethodDiffersFromRegistrationThenInvalidClient() throws Exception {
        var postForBasicClient = authenticate(new ClientSecretPost(new ClientID("s6BhdRkqt3"), basicSecret));
        var basicForPostClient = authenticate(new ClientSecretBasic(new ClientID("post-client"), postSecret));
        var secretForKeyClient = authenticate(new ClientSecretBasic(new ClientID("billing-job"), basicSecret));
        var assertionForSecretClient = authenticate(assertion(rs256(claims("s6BhdRkqt3").build())));

        assertThat(postForBasicClient).isEqualTo(INVALID_CLIENT);
        assertThat(basicForPostClient).isEqualTo(INVALID_CLIENT_BASIC);
        assertThat(secretForKeyClient).isEqualTo(INVALID_CLIENT_BASIC);
        assertThat(assertionForSecretClient).isEqualTo(INVALID_CLIENT);
        assertThat(h.audit()).filteredOn(e -> e.type() == AuditType.CLIENT_AUTHENTICATION_FAILED)
                .extracting(e -> e.reason().orElseThrow()).containsOnly("auth_method_mismatch");
    }

    @Test
    void authenticateWhenClientIdParameterNamesAnotherClientThenInvalidClient() {
        h.clock.advance(Duration.ofMillis(1));
        var result = h.authenticator().authenticate(Optional.of(new ClientSecretBasic(new ClientID("s6BhdRkqt3"), basicSecret)),
                Optional.of(new ClientID("post-client")), ClientHarness.TOKEN_ENDPOINT);

        assertThat(result).isEqualTo(INVALID_CLIENT_BASIC);
        assertThat(lastAudit().reason()).contains("client_id_mismatch");
    }

    // --- public clients (none) ---

    @Test
    void authenticateWhenPublicClientNamesItselfThenAuthenticated() {
        var result = h.authenticator().authenticate(Optional.empty(), Optional.of(new ClientID("com.example.app")), ClientHarness.TOKEN_ENDPOINT);

        assertThat(result).isInstanceOf(Result.Authenticated.class);
        assertThat(((Result.Authenticated) result).client().confidential()).isFalse();
    }

    @Test
    void authenticateWhenPublicClientSendsASecretThenInvalidClient() {
        var result = authenticate(new ClientSecretBasic(new ClientID("com.example.app"), basicSecret));

        assertThat(result).isEqualTo(INVALID_CLIENT_BASIC);
        assertThat(lastAudit().reason()).contains("auth_method_mismatch");
    }

    @Test
    void authenticateWhenConfidentialClientSendsNoCredentialsThenInvalidClient() {
        var named = h.authenticator().authenticate(Optional.empty(), Optional.of(new ClientID("s6BhdRkqt3")), ClientHarness.TOKEN_ENDPOINT);
        var anonymous = h.authenticator().authenticate(Optional.empty(), Optional.empty(), ClientHarness.TOKEN_ENDPOINT);
        var unknown = h.authenticator().authenticate(Optional.empty(), Optional.of(new ClientID("nobody")), ClientHarness.TOKEN_ENDPOINT);

        assertThat(named).isEqualTo(INVALID_CLIENT);
        assertThat(anonymous).isEqualTo(INVALID_CLIENT);
        assertThat(unknown).isEqualTo(INVALID_CLIENT);
        assertThat(h.audit()).filteredOn(e -> e.type() == AuditType.CLIENT_AUTHENTICATION_FAILED).extracting(e -> e.reason().orElseThrow())
                .containsExactlyInAnyOrder("authentication_required", "client_id_missing", "unknown_client");
    }

    // --- private_key_jwt ---

    @Test
    void authenticateWhenAssertionSignedWithRegisteredRsaKeyThenAuthenticated() {
        var result = authenticateAssertion(rs256(claims("billing-job").build()));

        assertThat(result).isInstanceOf(Result.Authenticated.class);
        assertThat(((Result.Authenticated) result).client().id()).isEqualTo(new ClientID("billing-job"));
        assertThat(h.jtiRows()).isEqualTo(1);
    }

    @Test
    void authenticateWhenAssertionSignedWithPs256OrEs256ThenAuthenticated() throws JOSEException {
        String ps256 = sign(new JWSHeader.Builder(JWSAlgorithm.PS256).keyID("rsa-1").build(), claims("billing-job").build(), new RSASSASigner(rsa));
        String es256 = sign(new JWSHeader(JWSAlgorithm.ES256), claims("billing-job").build(), new ECDSASigner(ec));   // no kid: every key is tried

        assertThat(authenticateAssertion(ps256)).isInstanceOf(Result.Authenticated.class);
        assertThat(authenticateAssertion(es256)).isInstanceOf(Result.Authenticated.class);
    }

    @Test
    void authenticateWhenSignedWithAnAlgorithmOutsideTheAllowListThenInvalidClient() throws JOSEException {
        String rs512 = sign(new JWSHeader.Builder(JWSAlgorithm.RS512).keyID("rsa-1").build(), claims("billing-job").build(), new RSASSASigner(rsa));

        assertThat(authenticateAssertion(rs512)).isEqualTo(INVALID_CLIENT);
        assertThat(lastAudit().reason()).contains("assertion_algorithm_refused");
    }

    @Test
    void assertionWhenSignedWithEdDsaThenNimbusRefusesItAtTheEdge() throws JOSEException {
        OctetKeyPair ed = new OctetKeyPairGenerator(Curve.Ed25519).keyID("ed-1").generate();
        String compact = sign(new JWSHeader(JWSAlgorithm.EdDSA), claims("billing-job").build(), new Ed25519Signer(ed));

        assertThatThrownBy(() -> assertion(compact)).isInstanceOf(ParseException.class).hasMessageContaining("Unsupported signed JWT algorithm: EdDSA");
    }

    @Test
    void authenticateWhenAudienceIsOurIssuerThenAuthenticated() {
        var result = authenticateAssertion(rs256(claims("billing-job").audience(ClientHarness.ISSUER.toString()).build()));

        assertThat(result).isInstanceOf(Result.Authenticated.class);
    }

    @Test
    void authenticateWhenSameAssertionSentTwiceThenSecondIsInvalidClient() {
        String compact = rs256(claims("billing-job").build());

        var first = authenticateAssertion(compact);
        h.clock.advance(Duration.ofSeconds(30));
        var replay = authenticateAssertion(compact);

        assertThat(first).isInstanceOf(Result.Authenticated.class);
        assertThat(replay).isEqualTo(INVALID_CLIENT);
        assertThat(lastAudit().reason()).contains("assertion_replayed");
    }

    @Test
    void authenticateWhenSameAssertionRacedFromManyThreadsThenExactlyOneSucceeds() throws Exception {
        String compact = rs256(claims("billing-job").build());
        var tasks = new ArrayList<Callable<Result>>();
        for (int i = 0; i < 12; i++) tasks.add(() -> authenticateAssertion(compact));

        long successes = 0;
        try (var pool = Executors.newFixedThreadPool(6)) {
            for (Future<Result> f : pool.invokeAll(tasks)) if (f.get() instanceof Result.Authenticated) successes++;
        }

        assertThat(successes).isEqualTo(1);
    }

    @Test
    void authenticateWhenAudienceIsAnotherServerThenInvalidClient() {
        var result = authenticateAssertion(rs256(claims("billing-job").audience("https://other-as.example.com/token").build()));

        assertThat(result).isEqualTo(INVALID_CLIENT);
        assertThat(lastAudit().reason()).contains("assertion_audience_refused");
        assertThat(h.jtiRows()).as("a refused assertion burns no jti").isZero();
    }

    @Test
    void authenticateWhenAssertionExpiredThenInvalidClient() {
        String compact = rs256(claims("billing-job").issueTime(Date.from(now().minusSeconds(300)))
                .expirationTime(Date.from(now().minusSeconds(120))).build());

        assertThat(authenticateAssertion(compact)).isEqualTo(INVALID_CLIENT);
        assertThat(lastAudit().reason()).contains("assertion_expired");
    }

    @Test
    void authenticateWhenAssertionValidNowButClockMovesPastExpiryThenInvalidClient() {
        String compact = rs256(claims("billing-job").build());   // exp now + 60 s, skew 60 s

        h.clock.advance(Duration.ofSeconds(121));

        assertThat(authenticateAssertion(compact)).isEqualTo(INVALID_CLIENT);
    }

    @Test
    void authenticateWhenAssertionExpiresMoreThanFiveMinutesAheadThenInvalidClient() {
        String compact = rs256(claims("billing-job").expirationTime(Date.from(now().plus(Duration.ofMinutes(10)))).build());

        assertThat(authenticateAssertion(compact)).isEqualTo(INVALID_CLIENT);
        assertThat(lastAudit().reason()).contains("assertion_expires_too_late");
    }

    @Test
    void authenticateWhenAssertionIssuedInTheFutureThenInvalidClient() {
        String compact = rs256(claims("billing-job").issueTime(Date.from(now().plusSeconds(180)))
                .expirationTime(Date.from(now().plusSeconds(240))).build());

        assertThat(authenticateAssertion(compact)).isEqualTo(INVALID_CLIENT);
        assertThat(lastAudit().reason()).contains("assertion_issued_in_future");
    }

    @Test
    void authenticateWhenAssertionHasNoJtiThenInvalidClient() {
        String compact = rs256(claims("billing-job").jwtID(null).build());

        assertThat(authenticateAssertion(compact)).isEqualTo(INVALID_CLIENT);
        assertThat(lastAudit().reason()).contains("assertion_jti_missing");
    }

    @Test
    void authenticateWhenIssuerDiffersFromSubjectThenInvalidClient() {
        String compact = rs256(claims("billing-job").issuer("s6BhdRkqt3").build());   // Nimbus takes the client_id from sub

        assertThat(authenticateAssertion(compact)).isEqualTo(INVALID_CLIENT);
        assertThat(lastAudit().reason()).contains("assertion_issuer_mismatch");
    }

    @Test
    void authenticateWhenHs256KeyedWithTheClientsPublicKeyThenInvalidClient() throws Exception {
        byte[] publicKeyBytes = rsa.toRSAPublicKey().getEncoded();   // what a key-confusion attacker has
        String compact = sign(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(), claims("billing-job").build(),
                new MACSigner(publicKeyBytes));
        byte[] jwkBytes = rsa.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
        String withJwkBytes = sign(new JWSHeader(JWSAlgorithm.HS256), claims("billing-job").build(), new MACSigner(jwkBytes));

        // Nimbus reads an HS256 assertion as client_secret_jwt, a method no Doorman client is registered for.
        assertThat(assertion(compact).getMethod()).isEqualTo(ClientAuthenticationMethod.CLIENT_SECRET_JWT);
        assertThat(authenticateAssertion(compact)).isEqualTo(INVALID_CLIENT);
        assertThat(authenticateAssertion(withJwkBytes)).isEqualTo(INVALID_CLIENT);
        assertThat(lastAudit().reason()).contains("auth_method_mismatch");
        assertThatThrownBy(() -> new PrivateKeyJWT(SignedJWT.parse(compact))).as("nor can it pass as private_key_jwt")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void authenticateWhenAlgNoneThenRefusedInEverySpelling() throws Exception {
        String payload = Base64URL.encode(claims("billing-job").build().toString()).toString();
        String none = Base64URL.encode("{\"alg\":\"none\"}") + "." + payload + ".";
        String noneUpper = Base64URL.encode("{\"alg\":\"NONE\"}") + "." + payload + "." + Base64URL.encode("sig");

        assertThatThrownBy(() -> assertion(none)).as("Nimbus refuses an unsigned JWT at the edge").isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> assertion(noneUpper)).isInstanceOf(ParseException.class).hasMessageContaining("Unsupported signed JWT algorithm");
        assertThat(ClientAssertions.problem(none)).contains("the signature is empty");
    }

    @Test
    void authenticateWhenSignedByAnUnregisteredKeyThenInvalidClient() throws JOSEException {
        RSAKey stranger = TestClients.rsaKey("rsa-1");   // same kid, other key
        String compact = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(), claims("billing-job").build(),
                new RSASSASigner(stranger));

        assertThat(authenticateAssertion(compact)).isEqualTo(INVALID_CLIENT);
        assertThat(lastAudit().reason()).contains("assertion_signature_invalid");
    }

    @ParameterizedTest
    @ValueSource(strings = {"at+jwt", "application/at+jwt", "logout+jwt"})
    void authenticateWhenTypedAsAnotherKindOfTokenThenInvalidClient(String typ) throws JOSEException {
        String compact = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").type(new JOSEObjectType(typ)).build(),
                claims("billing-job").build(), new RSASSASigner(rsa));

        assertThat(authenticateAssertion(compact)).isEqualTo(INVALID_CLIENT);
        assertThat(lastAudit().reason()).contains("assertion_type_refused");
    }

    @Test
    void authenticateWhenTypedAsJwtOrClientAuthenticationThenAccepted() throws JOSEException {
        for (String typ : List.of("JWT", "client-authentication+jwt")) {
            String compact = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").type(new JOSEObjectType(typ)).build(),
                    claims("billing-job").build(), new RSASSASigner(rsa));
            assertThat(authenticateAssertion(compact)).as(typ).isInstanceOf(Result.Authenticated.class);
        }
    }

    @Test
    void authenticateWhenSignatureReEncodedNonCanonicallyThenInvalidClientAndOriginalStillUsable() {
        String compact = rs256(claims("billing-job").build());
        String malleated = flipTrailingBits(compact);

        var altered = authenticateAssertion(malleated);
        var original = authenticateAssertion(compact);

        assertThat(malleated).isNotEqualTo(compact);
        assertThat(altered).isEqualTo(INVALID_CLIENT);
        assertThat(original).isInstanceOf(Result.Authenticated.class);
    }

    @Test
    void authenticateWhenEndpointIsAudienceThenAcceptedForThatEndpointOnly() {
        URI revocation = URI.create("https://login.example.org/oauth2/revoke");
        String compact = rs256(claims("billing-job").audience(revocation.toString()).build());

        Result atToken = authenticateAssertion(compact);
        Result atRevocation;
        try {
            atRevocation = h.authenticator().authenticate(Optional.of(assertion(compact)), Optional.empty(), revocation);
        } catch (ParseException e) {
            throw new AssertionError(e);
        }

        assertThat(atToken).isEqualTo(INVALID_CLIENT);
        assertThat(atRevocation).isInstanceOf(Result.Authenticated.class);
    }

    /** A 256-byte RS256 signature leaves 4 unused bits in its last base64url character; setting one keeps the bytes. */
    private static String flipTrailingBits(String compact) {
        int dot = compact.lastIndexOf('.');
        String sig = compact.substring(dot + 1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char last = sig.charAt(sig.length() - 1);
        char flipped = alphabet.charAt(alphabet.indexOf(last) | 1);
        UnaryOperator<String> replaceLast = s -> s.substring(0, s.length() - 1) + flipped;
        return compact.substring(0, dot + 1) + replaceLast.apply(sig);
    }
}
