package dev.doorman.guard;

import dev.doorman.TestServer;
import dev.doorman.audit.AuditEvent;
import dev.doorman.audit.AuditType;
import dev.doorman.client.ClientRegistration;
import dev.doorman.testkit.TestHttp;
import dev.doorman.testkit.TestMail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

import static dev.doorman.TestServer.loginJson;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The limits and the login escalation over real HTTP on SQLite (buckets in memory), each triggered and then reset
 * by moving the injected clock. Sources are told apart through X-Forwarded-For from a trusted proxy (127.0.0.1).
 */
class GuardHttpTest {
    private static final String LOGIN = "/api/v1/session";
    private final List<Duration> delays = new CopyOnWriteArrayList<>();
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private TestServer start(UnaryOperator<GuardSettings> guard) {
        server = TestServer.start(TestServer.Store.SQLITE, s -> s.withGuard(guard.apply(GuardSettings.defaults())), b -> b.sleeper(delays::add));
        return server;
    }

    private static GuardSettings behindProxy(GuardSettings g) {
        return g.withTrustedProxies(List.of("127.0.0.1"));
    }

    private static String login(String email, String password, String challenge, String nonce) {
        return "{\"email\":\"" + email + "\",\"password\":\"" + password + "\",\"challenge\":\"" + challenge + "\",\"nonce\":\"" + nonce + "\"}";
    }

    private List<AuditEvent> audit(AuditType type) {
        return server.doorman.auditTrail().recent(1000).stream().filter(e -> e.type() == type).toList();
    }

    @Test
    void loginWhenSourceExceedsItsLimitThen429WithRetryAfterProblemJsonAuditedAndAfterTheWindowAllowedAgain() {
        start(g -> g.withLimit(Limit.LOGIN_SOURCE, LimitSpec.parse("3/1m")));
        var http = server.client();
        for (int i = 0; i < 3; i++) assertThat(http.postJson(LOGIN, loginJson("nobody" + i + "@example.org", "wrong password " + i)).status()).isEqualTo(401);

        var limited = http.postJson(LOGIN, loginJson("ada@example.org", TestServer.PASSWORD));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(limited.json().get("code").asText()).isEqualTo("login.throttled");
        assertThat(limited.json().get("limit").asText()).isEqualTo("login.source");
        assertThat(Long.parseLong(limited.header("Retry-After").orElseThrow())).isBetween(1L, 60L);
        assertThat(audit(AuditType.RATE_LIMITED)).anySatisfy(e -> assertThat(e.reason()).contains("login.source"));
        // Refused before any work: no failed login was recorded for it.
        assertThat(audit(AuditType.LOGIN_FAILED)).hasSize(3);

        server.clock.advance(Duration.ofMinutes(1));
        assertThat(http.postJson(LOGIN, loginJson("nobody@example.org", "wrong password")).status()).isEqualTo(401);
    }

    @Test
    void loginWhenXForwardedForIsSpoofedByAnUntrustedPeerThenIgnoredAndTheSocketAddressIsCountedAndAudited() {
        start(g -> g.withLimit(Limit.LOGIN_SOURCE, LimitSpec.parse("3/1m")));
        for (int i = 0; i < 3; i++) {
            var status = server.clientFrom("203.0.113." + i).postJson(LOGIN, loginJson("nobody@example.org", "wrong password")).status();
            assertThat(status).isEqualTo(401);
        }
        assertThat(server.clientFrom("198.51.100.99").postJson(LOGIN, loginJson("nobody@example.org", "wrong password")).status()).isEqualTo(429);
        assertThat(audit(AuditType.LOGIN_FAILED)).allSatisfy(e -> assertThat(e.client().ip()).isEqualTo("127.0.0.1"));
    }

    @Test
    void loginWhenBehindATrustedProxyThenTheRightMostUntrustedAddressIsTheSourceAndIpv6CountsBy64() {
        start(g -> behindProxy(g).withLimit(Limit.LOGIN_SOURCE, LimitSpec.parse("2/1m")));
        for (int i = 0; i < 2; i++) assertThat(server.clientFrom("203.0.113.5").postJson(LOGIN, loginJson("a@example.org", "wrong password"))
                .status()).isEqualTo(401);
        // What the client wrote left of the proxy's entry changes nothing.
        assertThat(server.clientFrom("10.9.9.9, 203.0.113.5").postJson(LOGIN, loginJson("a@example.org", "wrong password")).status()).isEqualTo(429);
        assertThat(server.clientFrom("203.0.113.6").postJson(LOGIN, loginJson("a@example.org", "wrong password")).status()).isEqualTo(401);
        assertThat(audit(AuditType.LOGIN_FAILED)).extracting(e -> e.client().ip()).contains("203.0.113.5", "203.0.113.6");

        for (int i = 1; i <= 2; i++) assertThat(server.clientFrom("2001:db8:1:2::" + i).postJson(LOGIN, loginJson("a@example.org", "wrong password"))
                .status()).isEqualTo(401);
        assertThat(server.clientFrom("2001:db8:1:2:ffff::9").postJson(LOGIN, loginJson("a@example.org", "wrong password")).status()).isEqualTo(429);
        assertThat(server.clientFrom("2001:db8:1:3::1").postJson(LOGIN, loginJson("a@example.org", "wrong password")).status()).isEqualTo(401);
    }

    @Test
    void loginWhenOnePairKeepsFailingThenDelayThenProofOfWorkThenPairLockoutWhileTheOwnerElsewhereLogsInAndIsMailed() {
        start(GuardHttpTest::behindProxy);
        server.registerVerified("victim@example.org", TestServer.PASSWORD);
        var attacker = server.clientFrom("198.51.100.7");
        for (int i = 1; i <= 5; i++) assertThat(attacker.postJson(LOGIN, loginJson("victim@example.org", "guess number " + i))
                .status()).isEqualTo(401);
        assertThat(delays).containsExactly(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofMillis(1000));

        var challenged = attacker.postJson(LOGIN, loginJson("victim@example.org", "guess number 6"));
        assertThat(challenged.status()).isEqualTo(429);
        assertThat(challenged.json().get("code").asText()).isEqualTo("login.challenge_required");
        String challenge = challenged.json().get("challenge").asText();
        int bits = challenged.json().get("bits").asInt();
        assertThat(bits).isEqualTo(16);
        String nonce = ProofOfWork.solve(challenge, bits);
        assertThat(attacker.postJson(LOGIN, login("victim@example.org", "guess number 6", challenge, nonce)).status()).isEqualTo(401);
        // Single use: the same solution again is refused and a fresh challenge handed out.
        var replayed = attacker.postJson(LOGIN, login("victim@example.org", "guess number 7", challenge, nonce));
        assertThat(replayed.json().get("code").asText()).isEqualTo("login.challenge_required");
        assertThat(audit(AuditType.LOGIN_CHALLENGE_FAILED)).anySatisfy(e -> assertThat(e.reason()).contains("already_used"));

        for (int i = 7; i <= 10; i++) {
            var c = attacker.postJson(LOGIN, loginJson("victim@example.org", "guess number " + i)).json().get("challenge").asText();
            assertThat(attacker.postJson(LOGIN, login("victim@example.org", "guess number " + i, c, ProofOfWork.solve(c, bits))).status())
                    .isEqualTo(401);
        }
        var locked = attacker.postJson(LOGIN, loginJson("victim@example.org", TestServer.PASSWORD));
        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.json().get("limit").asText()).isEqualTo("login.pair");
        assertThat(audit(AuditType.LOGIN_LOCKED_OUT)).anySatisfy(e -> assertThat(e.reason()).contains("login.pair"));

        // The owner, from their own address, is not locked out by any of it.
        assertThat(server.clientFrom("192.0.2.10").postJson(LOGIN, loginJson("victim@example.org", TestServer.PASSWORD)).status()).isEqualTo(200);
        var notice = server.mail.waitForMails("victim@example.org", 2, Duration.ofSeconds(10)).getLast();
        assertThat(notice.subject()).isEqualTo("Someone is trying to log in to your account");
        assertThat(TestMail.firstLink(notice.text(), "/login/unlock")).isPresent();
        assertThat(audit(AuditType.ATTACK_NOTICE_SENT)).hasSize(1);

        // The lock lifts as the pair's bucket refills.
        server.clock.advance(Duration.ofMinutes(15));
        assertThat(attacker.postJson(LOGIN, loginJson("victim@example.org", TestServer.PASSWORD)).status()).isEqualTo(200);
    }

    @Test
    void loginWhenAccountIsUnknownThenEscalationIsExactlyThatOfAKnownAccount() {
        start(GuardHttpTest::behindProxy);
        server.registerVerified("known@example.org", TestServer.PASSWORD);
        var statuses = new ArrayList<List<Integer>>();
        for (String email : new String[]{"known@example.org", "unknown@example.org"}) {
            var http = server.clientFrom("198.51.100.8");
            var seen = new ArrayList<Integer>();
            for (int i = 1; i <= 7; i++) seen.add(http.postJson(LOGIN, loginJson(email, "guess number " + i)).status());
            statuses.add(seen);
        }
        assertThat(statuses.get(0)).containsExactly(401, 401, 401, 401, 401, 429, 429).isEqualTo(statuses.get(1));
    }

    @Test
    void loginWhenAccountReachesItsFailureCapFromManySourcesThenRefusedEverywhereUntilTheOwnerUsesTheMailedUnlockLink() {
        start(g -> behindProxy(g).withLimit(Limit.LOGIN_ACCOUNT, LimitSpec.parse("5/1d"))
                .withLimit(Limit.LOGIN_ACCOUNT_SOURCES, LimitSpec.parse("100/1h")));
        server.registerVerified("owner@example.org", TestServer.PASSWORD);
        for (int i = 1; i <= 5; i++)
            assertThat(server.clientFrom("198.51.100." + i).postJson(LOGIN, loginJson("owner@example.org", "guess number " + i))
                    .status()).isEqualTo(401);

        var owner = server.clientFrom("192.0.2.20");
        var refused = owner.postJson(LOGIN, loginJson("owner@example.org", TestServer.PASSWORD));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().get("limit").asText()).isEqualTo("login.account");

        String token = server.tokenFromMail("owner@example.org", "/login/unlock");
        var page = owner.get("/login/unlock?token=" + token);
        assertThat(page.status()).isEqualTo(200);
        var unlocked = owner.postForm("/login/unlock", Map.of("csrf", page.csrfField(), "token", token));
        assertThat(unlocked.status()).as(unlocked.body()).isEqualTo(200);
        assertThat(owner.cookies()).containsKey(DevicePasses.Kind.UNLOCK.cookie());
        assertThat(owner.postJson(LOGIN, loginJson("owner@example.org", TestServer.PASSWORD)).status()).isEqualTo(200);
        assertThat(audit(AuditType.ACCOUNT_UNLOCKED)).hasSize(1);

        // The link works once; an attacker's browser without the pass is still refused.
        assertThat(server.clientFrom("192.0.2.21").postForm("/login/unlock", Map.of("csrf", page.csrfField(), "token", token))
                .status()).isIn(400, 403);
        var stranger = server.clientFrom("198.51.100.77").postJson(LOGIN, loginJson("owner@example.org", "guess number 77"));
        assertThat(stranger.status()).isEqualTo(401); // the owner's success reset the account's count (RL-01)
    }

    @Test
    void registrationWhenSourceExceedsItsLimitThen429NothingCreatedAndAfterTheWindowAccepted() {
        start(g -> g.withLimit(Limit.REGISTER_SOURCE, LimitSpec.parse("2/1h")));
        var http = server.client();
        for (int i = 0; i < 2; i++)
            assertThat(http.postJson("/api/v1/accounts", loginJson("new" + i + "@example.org", TestServer.PASSWORD)).status()).isEqualTo(202);
        var limited = http.postJson("/api/v1/accounts", loginJson("new2@example.org", TestServer.PASSWORD));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.json().get("code").asText()).isEqualTo("rate_limited.register.source");
        assertThat(limited.header("Retry-After")).isPresent();
        var page = server.client().postForm("/register", Map.of("email", "new3@example.org", "password", TestServer.PASSWORD));
        assertThat(page.status()).isIn(403, 429); // the form without its pre-session token is refused either way; never created
        assertThat(server.doorman.users().findByEmail(dev.doorman.account.Email.parse("new2@example.org").orElseThrow())).isEmpty();

        server.clock.advance(Duration.ofHours(1));
        assertThat(http.postJson("/api/v1/accounts", loginJson("new2@example.org", TestServer.PASSWORD)).status()).isEqualTo(202);
    }

    @Test
    void passwordResetRequestWhenOneAccountIsAskedForTooOftenThen429ForItWhileOtherAddressesGoOn() {
        start(g -> g.withLimit(Limit.RESET_REQUEST_ACCOUNT, LimitSpec.parse("2/1h")));
        server.registerVerified("reset@example.org", TestServer.PASSWORD);
        var http = server.client();
        for (int i = 0; i < 2; i++) assertThat(http.postJson("/api/v1/password-reset", "{\"email\":\"reset@example.org\"}").status()).isEqualTo(202);
        var limited = http.postJson("/api/v1/password-reset", "{\"email\":\"Reset@Example.org\"}");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.json().get("code").asText()).isEqualTo("rate_limited.reset.request.account");
        assertThat(http.postJson("/api/v1/password-reset", "{\"email\":\"other@example.org\"}").status()).isEqualTo(202);
        // The old password still works: asking changes nothing, and a limit never locks the account.
        assertThat(server.client().postJson(LOGIN, loginJson("reset@example.org", TestServer.PASSWORD)).status()).isEqualTo(200);
    }

    @Test
    void tokenEndpointWhenAClientExceedsItsLimitThen429InTheOAuthErrorFormatAndAnotherClientIsUnaffected() {
        start(g -> g.withLimit(Limit.TOKEN_CLIENT, LimitSpec.parse("2/1m")));
        String[] secrets = new String[2];
        for (int i = 0; i < 2; i++) {
            var created = server.createClient(ClientRegistration.confidential("Job " + i).id("job-" + i).grantType("client_credentials").build());
            secrets[i] = created.secret().orElseThrow().getValue();
        }
        for (int i = 0; i < 2; i++) assertThat(token("job-0", secrets[0]).status()).isEqualTo(200);
        var limited = token("job-0", secrets[0]);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.json().get("error").asText()).isEqualTo("temporarily_unavailable");
        assertThat(limited.header("Retry-After")).isPresent();
        assertThat(token("job-1", secrets[1]).status()).isEqualTo(200);
        assertThat(audit(AuditType.RATE_LIMITED)).anySatisfy(e -> assertThat(e.subjectHint()).contains("job-0"));
        server.clock.advance(Duration.ofMinutes(1));
        assertThat(token("job-0", secrets[0]).status()).isEqualTo(200);
    }

    private TestHttp.Response token(String id, String secret) {
        String basic = Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return server.client().send(server.client().request("/oauth2/token").header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));
    }

    @Test
    void readinessWhenAskedThenSaysWhereRateLimitsAreKept() {
        start(g -> g);
        var ready = server.client().get("/health/ready");
        assertThat(ready.json().get("rateLimits").asText()).isEqualTo("memory (this node only)");
    }
}
