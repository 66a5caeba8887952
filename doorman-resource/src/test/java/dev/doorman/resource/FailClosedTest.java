package dev.doorman.resource;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the verifier does when the issuer is out of reach or misbehaves: it fails closed, as
 * {@link Verification.Unavailable} (the API answers 503), never by accepting; and it never lets tokens make it
 * hammer the issuer.
 */
class FailClosedTest {
    @Test
    void verifyWhenTheIssuerWasNeverReachableThenUnavailableNotRejectedAndNotAccepted() throws IOException {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (var issuer = new TestIssuer();
             var verifier = JwtAccessTokenVerifier.builder(URI.create("http://127.0.0.1:" + closedPort), TestIssuer.AUDIENCE)
                     .advanced(a -> a.clock(issuer.clock).timeouts(Duration.ofMillis(500), Duration.ofSeconds(1))).build()) {
            var claims = issuer.claims();
            claims.put("iss", "http://127.0.0.1:" + closedPort);
            assertThat(verifier.verify(issuer.rs256(claims))).isInstanceOf(Verification.Unavailable.class);
            // A token that is malformed anyway is still just rejected: no need for the issuer to say so.
            assertThat(verifier.verify("garbage")).isInstanceOf(Verification.Rejected.class);
        }
    }

    @Test
    void verifyWhenTheJwksEndpointFailsThenCachedKeysServeUntilMaxStaleThenUnavailable() {
        try (var issuer = new TestIssuer();
             var verifier = JwtAccessTokenVerifier.builder(URI.create(issuer.issuer()), TestIssuer.AUDIENCE)
                     .advanced(a -> a.clock(issuer.clock).withoutRevocationFeed()).build()) {
            assertThat(verifier.verify(issuer.rs256(issuer.claims()))).isInstanceOf(Verification.Verified.class);
            issuer.failing(true);
            issuer.clock.advance(Duration.ofMinutes(10));   // past the 5-minute freshness: refresh fails, cached keys serve
            assertThat(verifier.verify(issuer.rs256(issuer.claims()))).isInstanceOf(Verification.Verified.class);
            issuer.clock.advance(Duration.ofMinutes(55));   // past the hour of staleness allowed
            assertThat(verifier.verify(issuer.rs256(issuer.claims()))).isInstanceOf(Verification.Unavailable.class);
            issuer.failing(false);
            issuer.clock.advance(Duration.ofSeconds(31));
            assertThat(verifier.verify(issuer.rs256(issuer.claims()))).as("recovers by itself").isInstanceOf(Verification.Verified.class);
        }
    }

    @Test
    void verifyWhenAnUnknownKidArrivesWhileTheIssuerIsDownThenUnavailable() throws Exception {
        try (var issuer = new TestIssuer(); var verifier = issuer.verifier()) {
            RSAKey rotated = new RSAKeyGenerator(2048).keyID("rsa-2").algorithm(JWSAlgorithm.RS256).keyUse(KeyUse.SIGNATURE).generate();
            issuer.failing(true);
            issuer.clock.advance(Duration.ofSeconds(31));
            String token = TestIssuer.sign(TestIssuer.header("RS256", "rsa-2"), issuer.claims(), TestIssuer.rsaSigner(rotated));
            assertThat(verifier.verify(token)).isInstanceOf(Verification.Unavailable.class);
        }
    }

    @Test
    void verifyWhenManyTokensCarryMadeUpKidsThenTheJwksIsFetchedAtMostOncePerInterval() throws Exception {
        try (var issuer = new TestIssuer(); var verifier = issuer.verifier()) {
            RSAKey attacker = new RSAKeyGenerator(2048).keyID("x").generate();
            int before = issuer.jwksFetches.get();
            for (int i = 0; i < 200; i++) {
                String token = TestIssuer.sign(TestIssuer.header("RS256", UUID.randomUUID().toString()), issuer.claims(), TestIssuer.rsaSigner(attacker));
                assertThat(verifier.verify(token)).isInstanceOf(Verification.Rejected.class);
            }
            assertThat(issuer.jwksFetches.get() - before).as("no refetch within 30 s of the last fetch").isZero();
            issuer.clock.advance(Duration.ofSeconds(30));
            for (int i = 0; i < 200; i++) {
                String token = TestIssuer.sign(TestIssuer.header("RS256", UUID.randomUUID().toString()), issuer.claims(), TestIssuer.rsaSigner(attacker));
                assertThat(verifier.verify(token)).isInstanceOf(Verification.Rejected.class);
            }
            assertThat(issuer.jwksFetches.get() - before).as("one refetch after the interval").isEqualTo(1);
        }
    }

    @Test
    void verifyWhenTheIssuerRotatesToANewKidThenOneRefetchFindsIt() throws Exception {
        try (var issuer = new TestIssuer(); var verifier = issuer.verifier()) {
            RSAKey rotated = new RSAKeyGenerator(2048).keyID("rsa-2").algorithm(JWSAlgorithm.RS256).keyUse(KeyUse.SIGNATURE).generate();
            issuer.publish(issuer.rsa.toPublicJWK(), rotated.toPublicJWK());
            issuer.clock.advance(Duration.ofSeconds(30));
            int before = issuer.jwksFetches.get();
            String token = TestIssuer.sign(TestIssuer.header("RS256", "rsa-2"), issuer.claims(), TestIssuer.rsaSigner(rotated));
            assertThat(verifier.verify(token)).isInstanceOf(Verification.Verified.class);
            assertThat(verifier.verify(token)).isInstanceOf(Verification.Verified.class);
            assertThat(issuer.jwksFetches.get() - before).isEqualTo(1);
        }
    }

    @Test
    void verifyRightAfterBuildWhenTheFeedAlreadyListsTheJtiThenRejectedWithoutWaitingForAPoll() {
        try (var issuer = new TestIssuer()) {
            var claims = issuer.claims();
            issuer.revoked.add(Map.of("jti", claims.get("jti"), "exp", claims.get("exp")));
            try (var verifier = issuer.verifier()) {
                assertThat(verifier.verify(issuer.rs256(claims))).isEqualTo(new Verification.Rejected("revoked"));
                assertThat(verifier.verify(issuer.rs256(issuer.claims()))).isInstanceOf(Verification.Verified.class);
            }
        }
    }

    @Test
    void verifyWhenTheRevocationFeedListsTheJtiThenRejected() throws Exception {
        try (var issuer = new TestIssuer(); var verifier = issuer.verifier()) {
            var claims = issuer.claims();
            String token = issuer.rs256(claims);
            verifier.pollRevocations();
            assertThat(verifier.verify(token)).isInstanceOf(Verification.Verified.class);
            issuer.revoked.add(Map.of("jti", claims.get("jti"), "exp", claims.get("exp")));
            verifier.pollRevocations();
            assertThat(verifier.verify(token)).isEqualTo(new Verification.Rejected("revoked"));
        }
    }

    @Test
    void verifyWhenTheRevocationFeedCannotBeReadForLongerThanAllowedThenUnavailableUntilItCanAgain() throws Exception {
        try (var issuer = new TestIssuer(); var verifier = issuer.verifier()) {
            verifier.pollRevocations();
            String token = issuer.rs256(issuer.claims());
            issuer.failing(true);
            issuer.clock.advance(Duration.ofSeconds(90));
            assertThat(verifier.verify(issuer.rs256(issuer.claims()))).as("within the allowed staleness").isInstanceOf(Verification.Verified.class);
            issuer.clock.advance(Duration.ofSeconds(60));
            assertThat(verifier.verify(issuer.rs256(issuer.claims()))).isInstanceOf(Verification.Unavailable.class);
            issuer.failing(false);
            verifier.pollRevocations();
            assertThat(verifier.verify(issuer.rs256(issuer.claims()))).isInstanceOf(Verification.Verified.class);
            assertThat(token).isNotBlank();
        }
    }

    @Test
    void verifyWhenTheDiscoveryDocumentNamesAnotherIssuerThenNoKeysAreTrusted() throws Exception {
        try (var issuer = new TestIssuer();
             var verifier = JwtAccessTokenVerifier.builder(URI.create(issuer.issuer() + "/"), TestIssuer.AUDIENCE)
                     .advanced(a -> a.clock(issuer.clock).withoutRevocationFeed()).build()) {
            var claims = issuer.claims();
            claims.put("iss", issuer.issuer() + "/");
            assertThat(verifier.verify(issuer.rs256(claims))).isInstanceOf(Verification.Unavailable.class);
        }
    }

    @Test
    void verifyWhenEdDsaIsConfiguredThenEd25519TokensVerifyAndRs256OnesNoLonger() {
        try (var issuer = new TestIssuer(); var verifier = issuer.verifier("EdDSA")) {
            assertThat(verifier.verify(issuer.eddsa(issuer.claims()))).isInstanceOf(Verification.Verified.class);
            assertThat(verifier.verify(issuer.rs256(issuer.claims()))).isInstanceOf(Verification.Rejected.class);
        }
    }
}
