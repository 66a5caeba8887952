package dev.doorman.browser;

import dev.doorman.DoormanSettings;
import dev.doorman.TestServer;
import dev.doorman.account.Email;
import dev.doorman.audit.AuditType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SE-04/05: idle and absolute timeouts enforced by the server, on a server with short timeouts (idle 5 min,
 * absolute 15 min) and a clock the test moves. Runs once per database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SessionTimeoutContract {
    private static final Duration IDLE = Duration.ofMinutes(5);
    private static final Duration ABSOLUTE = Duration.ofMinutes(15);

    TestServer server;

    abstract TestServer.Store store();

    @BeforeAll
    void startServer() {
        server = TestServer.start(store(), s -> new DoormanSettings(s.mode(), s.baseUrl(), s.session().withTimeouts(IDLE, ABSOLUTE),
                s.password(), s.accounts(), s.mail(), s.maxRequestBytes(), s.oauth2(), s.guard()));
    }

    @AfterAll
    void stopServer() {
        server.close();
    }

    private String registered(String name) {
        String email = name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        server.registerVerified(email, TestServer.PASSWORD);
        return email;
    }

    private long expiries(String email, String reason) {
        var user = server.doorman.users().findByEmail(Email.parse(email).orElseThrow()).orElseThrow().id();
        return server.doorman.auditTrail().forUser(user, 100).stream()
                .filter(e -> e.type() == AuditType.SESSION_EXPIRED && e.reason().orElse("").equals(reason)).count();
    }

    @Test
    void accountPageWhenActiveEvery4MinutesThenIdleTimerIsExtendedAndWhenIdle6MinutesThenAnonymous() {
        String email = registered("idle");
        var browser = new Browser(server).loggedIn(email, TestServer.PASSWORD);

        server.clock.advance(Duration.ofMinutes(4));
        assertThat(browser.get("/account").status()).as("4 min idle").isEqualTo(200);
        server.clock.advance(Duration.ofMinutes(4));
        assertThat(browser.get("/account").status()).as("8 min after login, 4 min idle: activity extended it").isEqualTo(200);
        server.clock.advance(Duration.ofMinutes(6));
        var expired = browser.get("/account");

        assertThat(expired.status()).as("6 min idle").isEqualTo(303);
        assertThat(expired.location()).hasValueSatisfying(l -> assertThat(l).startsWith("/login"));
        assertThat(browser.sessionCookie()).as("the dead cookie is cleared").isEmpty();
        assertThat(expiries(email, "idle_timeout")).isEqualTo(1);
    }

    @Test
    void apiWhenIdleJustUnderTheTimeoutThenStillValidAndJustOverThenAnonymous() {
        String email = registered("idleapi");
        var browser = new Browser(server).loggedIn(email, TestServer.PASSWORD);
        String cookie = browser.sessionCookie().orElseThrow();

        server.clock.advance(IDLE.minusSeconds(1));
        assertThat(browser.get("/api/v1/me").status()).isEqualTo(200);
        server.clock.advance(IDLE.plusSeconds(1));
        assertThat(browser.get("/api/v1/me").status()).isEqualTo(401);

        // The server forgot it: replaying the cookie later does not bring it back.
        var replay = server.client();
        replay.setCookie(server.sessionCookieName(), cookie);
        assertThat(replay.get("/account").status()).isEqualTo(303);
    }

    @Test
    void accountPageWhenActiveThroughoutThenCutAtTheAbsoluteTimeout() {
        String email = registered("absolute");
        var browser = new Browser(server).loggedIn(email, TestServer.PASSWORD);

        for (int minute = 4; minute <= 12; minute += 4) {
            server.clock.advance(Duration.ofMinutes(4));
            assertThat(browser.get("/account").status()).as("active at minute %d", minute).isEqualTo(200);
        }
        server.clock.advance(Duration.ofMinutes(2).plusSeconds(59));
        assertThat(browser.get("/account").status()).as("14:59 after login").isEqualTo(200);
        server.clock.advance(Duration.ofSeconds(1));
        var cut = browser.get("/account");

        assertThat(cut.status()).as("15:00 after login, though active a second ago").isEqualTo(303);
        assertThat(cut.location()).hasValueSatisfying(l -> assertThat(l).startsWith("/login"));
        assertThat(expiries(email, "absolute_timeout")).isEqualTo(1);
        // A new login starts a new absolute window.
        new Browser(server).loggedIn(email, TestServer.PASSWORD);
    }
}
