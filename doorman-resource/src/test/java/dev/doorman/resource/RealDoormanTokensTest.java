package dev.doorman.resource;

import dev.doorman.TestServer;
import dev.doorman.authz.Subject;
import dev.doorman.support.ClientInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Valid tokens from a real Doorman server (SQLite), verified locally by {@link JwtAccessTokenVerifier}: client and
 * user tokens become the right {@link Subject}, key rotation keeps old tokens valid and makes a new kid trigger one
 * rate-limited JWKS refetch, revocation applies after the next poll of the feed, and tokens meant for another
 * API or of another type are refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealDoormanTokensTest {
    private TestServer server;
    private DoormanTokens tokens;

    @BeforeAll
    void start() {
        server = TestServer.start(TestServer.Store.SQLITE);
        tokens = new DoormanTokens(server);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private JwtAccessTokenVerifier verifier() {
        return JwtAccessTokenVerifier.builder(tokens.issuer(), DoormanTokens.API).advanced(a -> a.clock(server.clock)).build();
    }

    @Test
    void verifyWhenClientCredentialsTokenFromDoormanThenClientSubjectWithItsScopes() {
        try (var verifier = verifier()) {
            var result = verifier.verify(tokens.clientToken(tokens.worker, "tasks:read tasks:write"));
            assertThat(result).isInstanceOf(Verification.Verified.class);
            Subject subject = ((Verification.Verified) result).subject();
            assertThat(subject.id()).isEqualTo("tasks-worker");
            assertThat(subject.kind()).isEqualTo(Subject.Kind.CLIENT);
            assertThat(subject.scopes()).containsExactlyInAnyOrder("tasks:read", "tasks:write");
            assertThat(subject.roles()).isEmpty();
            assertThat(subject.authTime()).isEmpty();
        }
    }

    @Test
    void verifyWhenUserTokenFromTheCodeFlowThenUserSubjectWithRolesScopesAuthTimeAndAmr() {
        var user = tokens.user("resource-user@example.org", Set.of("editor", "member"));
        var issued = tokens.userTokens(user, "openid tasks:read");
        try (var verifier = verifier()) {
            var result = verifier.verify(issued.getAccessToken().getValue());
            assertThat(result).isInstanceOf(Verification.Verified.class);
            Subject subject = ((Verification.Verified) result).subject();
            assertThat(subject.id()).isEqualTo(DoormanTokens.userId(user));
            assertThat(subject.kind()).isEqualTo(Subject.Kind.USER);
            assertThat(subject.roles()).containsExactlyInAnyOrder("editor", "member");
            assertThat(subject.scopes()).containsExactlyInAnyOrder("openid", "tasks:read");
            assertThat(subject.authTime()).contains(server.clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            assertThat(subject.amr()).containsExactly("pwd");
            assertThat(subject.attributes()).containsEntry("client_id", "tasks-web");

            // The ID token beside it is not an access token (JW-06).
            assertThat(verifier.verify(issued.toOIDCTokens().getIDTokenString())).isInstanceOf(Verification.Rejected.class);
        }
    }

    @Test
    void verifyWhenTokenIsForAnotherApiThenRejected() {
        try (var verifier = verifier()) {
            assertThat(verifier.verify(tokens.clientToken(tokens.other, "payments:read"))).isInstanceOf(Verification.Rejected.class);
        }
    }

    @Test
    void verifyWhenKeysRotateThenOldTokensStillVerifyAndANewKidIsFetchedAtMostOncePerInterval() {
        try (var verifier = verifier()) {
            String beforeRotation = tokens.clientToken(tokens.worker, "tasks:read");
            assertThat(verifier.verify(beforeRotation)).isInstanceOf(Verification.Verified.class);

            // First rotation: the new active key was published as "next" and is in the cache already.
            server.doorman.signingKeys().rotate(new ClientInfo("127.0.0.1", "test"));
            String afterFirst = tokens.clientToken(tokens.worker, "tasks:read");
            assertThat(verifier.verify(afterFirst)).isInstanceOf(Verification.Verified.class);
            assertThat(verifier.verify(beforeRotation)).as("retired key, still published during the overlap").isInstanceOf(Verification.Verified.class);

            // Second rotation: a key this verifier has never seen. Its kid is unknown; the refetch it triggers is
            // rate-limited (the cache was filled moments ago on this clock), so it is refused until the interval passed.
            server.doorman.signingKeys().rotate(new ClientInfo("127.0.0.1", "test"));
            String afterSecond = tokens.clientToken(tokens.worker, "tasks:read");
            assertThat(verifier.verify(afterSecond)).isInstanceOf(Verification.Rejected.class);
            server.clock.advance(Duration.ofSeconds(31));
            assertThat(verifier.verify(afterSecond)).as("the unknown kid refetched the JWKS").isInstanceOf(Verification.Verified.class);
            assertThat(verifier.verify(afterFirst)).isInstanceOf(Verification.Verified.class);
            assertThat(verifier.verify(beforeRotation)).as("still inside the retired key's overlap").isInstanceOf(Verification.Verified.class);
        }
    }

    @Test
    void verifyWhenTokenIsRevokedThenRejectedAfterTheNextPollOfTheFeed() throws Exception {
        try (var verifier = verifier()) {
            verifier.pollRevocations();
            String token = tokens.clientToken(tokens.worker, "tasks:read");
            String kept = tokens.clientToken(tokens.worker, "tasks:read");
            assertThat(verifier.verify(token)).isInstanceOf(Verification.Verified.class);

            tokens.revoke(tokens.worker, token);
            // Until the next poll the revocation is not seen: that is the documented staleness window (one interval).
            assertThat(verifier.verify(token)).isInstanceOf(Verification.Verified.class);
            verifier.pollRevocations();
            assertThat(verifier.verify(token)).isEqualTo(new Verification.Rejected("revoked"));
            assertThat(verifier.verify(kept)).isInstanceOf(Verification.Verified.class);
        }
    }

    @Test
    void verifyWhenTheRevocationFeedIsPolledOnItsScheduleThenARevokedTokenIsRefusedWithinOneInterval() throws Exception {
        try (var verifier = JwtAccessTokenVerifier.builder(tokens.issuer(), DoormanTokens.API)
                .advanced(a -> a.clock(server.clock).revocationFeed(java.net.URI.create(server.baseUrl + "/oauth2/revoked"),
                        Duration.ofMillis(200), Duration.ofMinutes(2))).build()) {
            String token = tokens.clientToken(tokens.worker, "tasks:read");
            tokens.revoke(tokens.worker, token);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            Verification result = verifier.verify(token);
            while (!(result instanceof Verification.Rejected) && System.nanoTime() < deadline) {
                Thread.sleep(50);
                result = verifier.verify(token);
            }
            assertThat(result).isEqualTo(new Verification.Rejected("revoked"));
        }
    }
}
