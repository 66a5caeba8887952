package dev.doorman.guard;

import dev.doorman.TestServer;
import dev.doorman.testkit.TestHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.UnaryOperator;

import static dev.doorman.TestServer.loginJson;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser that got the password right becomes a known device for that account (a signed device pass): strangers'
 * lockouts and failure bursts do not reach it, and its own failures lock only itself. Real HTTP on SQLite, sources told
 * apart through X-Forwarded-For from a trusted proxy.
 */
class KnownDeviceTest {
    private static final String LOGIN = "/api/v1/session";
    private static final String OWNER = "owner@example.org";
    private static final String DEVICE = DevicePasses.Kind.DEVICE.cookie();
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private void start(UnaryOperator<GuardSettings> guard) {
        server = TestServer.start(TestServer.Store.SQLITE, s -> s.withGuard(guard.apply(GuardSettings.defaults().withTrustedProxies(List.of("127.0.0.1")))),
                b -> b.sleeper(d -> { }));
        server.registerVerified(OWNER, TestServer.PASSWORD);
    }

    /** The owner's browser after one good login from {@code ip}, that session since ended: only the device pass is left. */
    private TestHttp knownDevice(String ip) {
        return knownDevice(ip, OWNER);
    }

    private TestHttp knownDevice(String ip, String email) {
        var browser = server.clientFrom(ip);
        assertThat(browser.postJson(LOGIN, loginJson(email, TestServer.PASSWORD)).status()).isEqualTo(200);
        String pass = browser.cookies().get(DEVICE);
        assertThat(pass).isNotBlank();
        browser.clearCookies();
        browser.setCookie(DEVICE, pass);
        return browser;
    }

    @Test
    void loginWhenThePasswordIsRightThenTheBrowserGetsAnHttpOnlyDevicePassAndAWrongPasswordGetsNone() {
        start(g -> g);
        var wrong = server.clientFrom("192.0.2.1").postJson(LOGIN, loginJson(OWNER, "not the password"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.setCookies()).noneMatch(c -> c.startsWith(DEVICE + "="));

        var right = server.clientFrom("192.0.2.1").postJson(LOGIN, loginJson(OWNER, TestServer.PASSWORD));
        assertThat(right.status()).isEqualTo(200);
        assertThat(right.setCookies()).filteredOn(c -> c.startsWith(DEVICE + "=")).singleElement().satisfies(c -> assertThat(c)
                .contains("; HttpOnly", "; Path=/", "; SameSite=", "; Max-Age=" + 90L * 24 * 3600).doesNotContain("Domain="));
    }

    @Test
    void loginWhenStrangersLockTheAccountThenTheOwnersKnownDeviceStillGetsInAndStrangersStayOut() {
        start(g -> g.withLimit(Limit.LOGIN_ACCOUNT, LimitSpec.parse("5/1d")).withLimit(Limit.LOGIN_ACCOUNT_SOURCES, LimitSpec.parse("100/1h")));
        var owner = knownDevice("192.0.2.20");
        for (int i = 1; i <= 5; i++)
            assertThat(server.clientFrom("198.51.100." + i).postJson(LOGIN, loginJson(OWNER, "guess number " + i)).status()).isEqualTo(401);

        // A stranger's browser is refused even with the right password; so is one with a forged or altered pass.
        var stranger = server.clientFrom("198.51.100.50").postJson(LOGIN, loginJson(OWNER, TestServer.PASSWORD));
        assertThat(stranger.status()).isEqualTo(429);
        assertThat(stranger.json().get("limit").asText()).isEqualTo("login.account");
        var forger = server.clientFrom("198.51.100.51");
        String pass = owner.cookies().get(DEVICE);
        forger.setCookie(DEVICE, pass.substring(0, pass.length() - 2) + (pass.endsWith("AA") ? "BB" : "AA"));
        assertThat(forger.postJson(LOGIN, loginJson(OWNER, TestServer.PASSWORD)).status()).isEqualTo(429);
        server.registerVerified("mallory@example.org", TestServer.PASSWORD);
        var otherAccount = knownDevice("198.51.100.52", "mallory@example.org");
        var withOthersPass = otherAccount.postJson(LOGIN, loginJson(OWNER, TestServer.PASSWORD));
        assertThat(withOthersPass.status()).as("a pass for another account: " + withOthersPass.body()).isEqualTo(429);

        // The owner's own browser gets in, from home or from anywhere else.
        owner.setHeader("X-Forwarded-For", "203.0.113.9");
        assertThat(owner.postJson(LOGIN, loginJson(OWNER, TestServer.PASSWORD)).status()).isEqualTo(200);
    }

    @Test
    void loginWhenTheSystemIsUnderAFailureBurstThenStrangersMustSolveAProofOfWorkAndKnownDevicesNeedNot() {
        start(g -> g.withLimit(Limit.LOGIN_FAILURES_GLOBAL, LimitSpec.parse("3/1h")));
        var owner = knownDevice("192.0.2.20");
        for (int i = 1; i <= 3; i++)
            assertThat(server.clientFrom("198.51.100." + i).postJson(LOGIN, loginJson("victim" + i + "@example.org", "guess"))
                    .status()).isEqualTo(401);

        var stranger = server.clientFrom("192.0.2.30").postJson(LOGIN, loginJson(OWNER, TestServer.PASSWORD));
        assertThat(stranger.status()).isEqualTo(429);
        assertThat(stranger.json().get("code").asText()).isEqualTo("login.challenge_required");
        var known = owner.postJson(LOGIN, loginJson(OWNER, TestServer.PASSWORD));
        assertThat(known.status()).as(known.body()).isEqualTo(200);
    }

    @Test
    void loginWhenAKnownDeviceKeepsFailingThenItLocksItselfWhereverItGoesWithoutCountingAgainstTheAccount() {
        start(g -> g.withLimit(Limit.LOGIN_PAIR, LimitSpec.parse("3/15m")).withLimit(Limit.LOGIN_ACCOUNT, LimitSpec.parse("3/1d")));
        var device = knownDevice("192.0.2.20");
        for (int i = 1; i <= 3; i++) assertThat(device.postJson(LOGIN, loginJson(OWNER, "typo " + i)).status()).isEqualTo(401);

        device.setHeader("X-Forwarded-For", "203.0.113.9");
        var locked = device.postJson(LOGIN, loginJson(OWNER, TestServer.PASSWORD));
        assertThat(locked.status()).as("the lock follows the device, not the address").isEqualTo(429);
        assertThat(locked.json().get("limit").asText()).isEqualTo("login.pair");
        // The account itself is not locked by the device's failures: the owner elsewhere still gets in.
        assertThat(server.clientFrom("192.0.2.40").postJson(LOGIN, loginJson(OWNER, TestServer.PASSWORD)).status()).isEqualTo(200);
        // Without its pass, the same browser is a stranger again, keyed by its address.
        device.clearCookies();
        var again = device.postJson(LOGIN, loginJson(OWNER, "typo 4"));
        assertThat(again.status()).as(again.body()).isEqualTo(401);
    }
}
