package dev.doorman.resource;

import dev.doorman.TestServer;
import dev.doorman.authz.Subject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The second verifier kind: ask a real Doorman (RFC 7662), authenticated as the API's own client, with a short cache. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IntrospectionVerifierTest {
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

    private IntrospectionVerifier verifier(String secret) {
        return IntrospectionVerifier.builder(tokens.issuer(), DoormanTokens.API, DoormanTokens.API, secret)
                .advanced(b -> b.clock(server.clock)).build();
    }

    @Test
    void verifyWhenTokensAreActiveForThisApiThenClientAndUserSubjects() {
        var user = tokens.user("introspected@example.org", Set.of("member"));
        var issued = tokens.userTokens(user, "openid tasks:read");
        try (var verifier = verifier(tokens.apiSecret.getValue())) {
            var client = verifier.verify(tokens.clientToken(tokens.worker, "tasks:write"));
            assertThat(client).isInstanceOf(Verification.Verified.class);
            Subject clientSubject = ((Verification.Verified) client).subject();
            assertThat(clientSubject.id()).isEqualTo("tasks-worker");
            assertThat(clientSubject.kind()).isEqualTo(Subject.Kind.CLIENT);
            assertThat(clientSubject.scopes()).containsExactly("tasks:write");

            var forUser = verifier.verify(issued.getAccessToken().getValue());
            assertThat(forUser).isInstanceOf(Verification.Verified.class);
            Subject userSubject = ((Verification.Verified) forUser).subject();
            assertThat(userSubject.id()).isEqualTo(DoormanTokens.userId(user));
            assertThat(userSubject.kind()).isEqualTo(Subject.Kind.USER);
            assertThat(userSubject.scopes()).containsExactlyInAnyOrder("openid", "tasks:read");

            // A refresh token is active at introspection too, but it is no access credential.
            assertThat(verifier.verify(issued.getRefreshToken().getValue())).isInstanceOf(Verification.Rejected.class);
        }
    }

    @Test
    void verifyWhenTokenIsForAnotherApiOrGarbageThenRejected() {
        try (var verifier = verifier(tokens.apiSecret.getValue())) {
            assertThat(verifier.verify(tokens.clientToken(tokens.other, "payments:read"))).isInstanceOf(Verification.Rejected.class);
            assertThat(verifier.verify("not-a-token")).isInstanceOf(Verification.Rejected.class);
            assertThat(verifier.verify("bad token with spaces")).isInstanceOf(Verification.Rejected.class);
            assertThat(verifier.verify("x".repeat(10_000))).isInstanceOf(Verification.Rejected.class);
        }
    }

    @Test
    void verifyWhenTokenIsRevokedThenRejectedOnceTheCachedAnswerExpires() {
        try (var verifier = verifier(tokens.apiSecret.getValue())) {
            String token = tokens.clientToken(tokens.worker, "tasks:read");
            assertThat(verifier.verify(token)).isInstanceOf(Verification.Verified.class);
            tokens.revoke(tokens.worker, token);
            assertThat(verifier.verify(token)).as("the cached answer, for at most 10 s").isInstanceOf(Verification.Verified.class);
            server.clock.advance(Duration.ofSeconds(11));
            assertThat(verifier.verify(token)).isEqualTo(new Verification.Rejected("inactive"));
        }
    }

    @Test
    void verifyWhenTheApiAuthenticatesWithAWrongSecretThenUnavailableNeverAccepted() {
        try (var verifier = verifier("wrong-secret")) {
            assertThat(verifier.verify(tokens.clientToken(tokens.worker, "tasks:read"))).isInstanceOf(Verification.Unavailable.class);
        }
    }

    @Test
    void verifyWhenTheIssuerIsDownThenUnavailable() throws Exception {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (var verifier = IntrospectionVerifier.builder(URI.create("http://127.0.0.1:" + closedPort), DoormanTokens.API, DoormanTokens.API, "s")
                .build()) {
            assertThat(verifier.verify(tokens.clientToken(tokens.worker, "tasks:read"))).isInstanceOf(Verification.Unavailable.class);
        }
    }
}
