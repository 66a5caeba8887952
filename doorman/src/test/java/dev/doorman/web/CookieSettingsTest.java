package dev.doorman.web;

import dev.doorman.DoormanSettings;
import dev.doorman.TestServer;
import dev.doorman.browser.Browser;
import dev.doorman.session.SessionSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.UUID;

import static dev.doorman.browser.Browser.fields;
import static org.assertj.core.api.Assertions.assertThat;

/** SE-03 with the cookie settings switched: {@code __Host-} prefix and {@code SameSite=Strict}, on a dev-mode server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CookieSettingsTest {
    private TestServer server;

    @BeforeAll
    void startServer() {
        server = TestServer.start(TestServer.Store.SQLITE, s -> new DoormanSettings(s.mode(), s.baseUrl(),
                new SessionSettings(s.session().idleTimeout(), s.session().absoluteTimeout(), SessionSettings.SameSite.STRICT, true, true),
                s.password(), s.accounts(), s.mail(), s.maxRequestBytes(), s.oauth2(), s.guard()));
    }

    @AfterAll
    void stopServer() {
        server.close();
    }

    @Test
    void loginWhenHostPrefixAndStrictConfiguredThenCookieIsHostPrefixedStrictSecureHttpOnlyPathRootWithoutDomain() {
        String email = "strict-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        server.registerVerified(email, TestServer.PASSWORD);
        var browser = new Browser(server);
        var form = browser.get("/login");

        var login = browser.post("/login", form.csrfField(), fields("email", email, "password", TestServer.PASSWORD));

        assertThat(login.status()).isEqualTo(303);
        assertThat(server.sessionCookieName()).isEqualTo("__Host-doorman_session");
        SetCookie cookie = SetCookie.named(login, "__Host-doorman_session").orElseThrow();
        assertThat(cookie.deletes()).isFalse();
        assertThat(cookie.attribute("SameSite")).contains("Strict");
        assertThat(cookie.has("Secure")).isTrue();
        assertThat(cookie.has("HttpOnly")).isTrue();
        assertThat(cookie.attribute("Path")).contains("/");
        assertThat(cookie.has("Domain")).isFalse();
        assertThat(SetCookie.all(login)).allSatisfy(c -> {
            assertThat(c.name()).startsWith("__Host-");
            assertThat(c.attribute("SameSite")).contains("Strict");
        });
        assertThat(SetCookie.all(form)).extracting(SetCookie::name).containsOnly("__Host-doorman_presession");
        assertThat(browser.get("/account").status()).isEqualTo(200);
    }
}
