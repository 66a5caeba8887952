package dev.doorman.web;

import dev.doorman.DoormanSettings;
import dev.doorman.TestServer;
import dev.doorman.browser.Browser;
import dev.doorman.session.SessionSettings;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.util.UUID;

import static dev.doorman.browser.Browser.fields;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server in production mode, as production needs it ({@link DoormanSettings#insecureForProduction()}): an https public
 * URL, SMTP (the test GreenMail on loopback), secure {@code __Host-} cookies. It still listens on plain loopback http.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProductionModeTest {
    private static final String HSTS = "max-age=31536000; includeSubDomains";

    private TestServer server;
    private String publicOrigin;

    @BeforeAll
    void startServer() {
        server = TestServer.start(TestServer.Store.SQLITE, s -> {
            var session = s.session();
            var settings = new DoormanSettings(DoormanSettings.Mode.PRODUCTION, URI.create("https://" + s.baseUrl().getRawAuthority()),
                    new SessionSettings(session.idleTimeout(), session.absoluteTimeout(), session.sameSite(), true, true),
                    s.password(), s.accounts(), s.mail(), s.maxRequestBytes(),
                    s.oauth2().withKeyEncryptionKey("q2E9XsS8oOTvM3C1Kx7m0g5NnUe6lP4bYw1zRjAhcDI="), s.guard());
            assertThat(settings.insecureForProduction()).isEmpty();
            return settings;
        });
        publicOrigin = server.doorman.settings().origin();
        assertThat(publicOrigin).startsWith("https://");
    }

    @AfterAll
    void stopServer() {
        server.close();
    }

    private String email(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
    }

    @Test
    void everyResponseWhenSweepingAllRoutesInProductionThenCarriesHstsAndTheOtherSecurityHeaders() {
        String email = email("prodsweep");
        server.registerVerified(email, TestServer.PASSWORD);

        var sweep = HeaderSweep.run(server, email, TestServer.PASSWORD);

        var soft = new SoftAssertions();
        for (var e : sweep) {
            SecurityHeadersTest.assertSecurityHeaders(soft, e);
            soft.assertThat(e.response().headers().allValues("Strict-Transport-Security")).as("HSTS: %s", e).containsExactly(HSTS);
        }
        soft.assertAll();
    }

    @Test
    void devOutboxWhenProductionThenNotRouted() {
        var response = server.client().get("/dev/outbox");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body()).doesNotContain("Dev outbox");
        assertThat(server.doorman.devOutbox()).isEmpty();
    }

    @Test
    void loginWhenProductionThenCookiesUseTheHostPrefixAndAreSecure() {
        String email = email("prodcookie");
        server.registerVerified(email, TestServer.PASSWORD);
        var browser = new Browser(server);
        var form = browser.get("/login");
        assertThat(SetCookie.all(form)).extracting(SetCookie::name).containsOnly("__Host-doorman_presession");

        var login = browser.post("/login", form.csrfField(), fields("email", email, "password", TestServer.PASSWORD));

        assertThat(login.status()).isEqualTo(303);
        assertThat(SetCookie.named(login, "__Host-doorman_session")).hasValueSatisfying(c -> {
            assertThat(c.deletes()).isFalse();
            assertThat(c.has("Secure")).isTrue();
            assertThat(c.has("HttpOnly")).isTrue();
            assertThat(c.attribute("Path")).contains("/");
            assertThat(c.has("Domain")).isFalse();
        });
        assertThat(SetCookie.named(login, "__Host-doorman_device")).as("the known-device pass").hasValueSatisfying(c -> {
            assertThat(c.has("Secure")).isTrue();
            assertThat(c.has("HttpOnly")).isTrue();
            assertThat(c.has("Domain")).isFalse();
        });
        assertThat(SetCookie.all(login)).extracting(SetCookie::name).allMatch(name -> name.startsWith("__Host-"));
        assertThat(browser.get("/account").status()).isEqualTo(200);
    }

    @Test
    void mailedLinksWhenProductionThenUseTheConfiguredHttpsOrigin() {
        String email = email("prodlink");
        server.registerVerified(email, TestServer.PASSWORD);
        assertThat(server.client().postJson("/api/v1/password-reset", "{\"email\":\"" + email + "\"}").status()).isEqualTo(202);

        assertThat(Browser.linkFromMail(server, email, "/verify-email")).startsWith(publicOrigin + "/verify-email?token=");
        assertThat(Browser.linkFromMail(server, email, "/reset-password")).startsWith(publicOrigin + "/reset-password?token=");
    }

    @Test
    void postWhenOriginIsThePublicHttpsOriginThenAcceptedAndWhenItIsThePlainHttpOriginThen403() {
        String email = email("prodorigin");
        server.registerVerified(email, TestServer.PASSWORD);
        var browser = new Browser(server).loggedIn(email, TestServer.PASSWORD);
        String token = browser.get("/account").csrfField();

        browser.http.setHeader("Origin", "http://" + URI.create(publicOrigin).getRawAuthority());
        assertThat(browser.post("/logout", token, fields()).status()).as("scheme downgrade").isEqualTo(403);
        browser.http.setHeader("Origin", publicOrigin);
        assertThat(browser.post("/logout", token, fields()).status()).isEqualTo(303);
    }

    @Test
    void cookieWithoutHostPrefixWhenProductionThenIgnored() {
        String email = email("prodplain");
        server.registerVerified(email, TestServer.PASSWORD);
        var browser = new Browser(server).loggedIn(email, TestServer.PASSWORD);
        String value = browser.sessionCookie().orElseThrow();
        var sibling = server.client();
        // A cookie a sibling subdomain could have set: the same value without the prefix must not authenticate.
        sibling.setCookie("doorman_session", value);

        assertThat(sibling.get("/api/v1/me").status()).isEqualTo(401);
        assertThat(sibling.get("/account").status()).isEqualTo(303);
    }
}
