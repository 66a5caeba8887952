package dev.doorman.e2e;

import dev.doorman.TestServer;
import dev.doorman.testkit.Chromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import java.io.IOException;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the README's tour promises, done in a real browser (Debian's chromium, headless): register, confirm the
 * address from the dev outbox, log in, log out, reset a forgotten password, log in with the new one.
 * Skipped only where chromium is not installed and CI is not set; .ci/run installs it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserJourneyTest {
    private static final Pattern LINK = Pattern.compile("(http://\\S+/(verify-email|reset-password)\\?token=[A-Za-z0-9_-]+)");

    private TestServer server;
    private WebDriver browser;

    @BeforeAll
    void start() throws IOException {
        Chromium.requireInstalled();
        server = TestServer.startWithDevOutbox(TestServer.Store.SQLITE);
        browser = Chromium.start();
    }

    @AfterAll
    void stop() {
        if (browser != null) browser.quit();
        if (server != null) server.close();
    }

    @Test
    void readmeTourWhenFollowedInABrowserThenRegisterVerifyLoginLogoutAndResetAllWork() {
        String email = "reader@example.org";
        open("/register");
        type("email", email);
        type("name", "README Reader");
        type("password", TestServer.PASSWORD);
        submit();
        assertThat(heading()).isEqualTo("Check your inbox");

        open(linkFromOutbox("verify-email"));
        assertThat(heading()).isEqualTo("Confirm your e-mail address");
        submit();
        assertThat(heading()).isEqualTo("E-mail address confirmed");

        logIn(email, TestServer.PASSWORD);
        assertThat(browser.getCurrentUrl()).isEqualTo(server.baseUrl + "/account");
        assertThat(browser.findElement(By.tagName("main")).getText()).contains(email).contains("README Reader").contains("This session");

        Chromium.clickAndWaitForNewPage(browser, browser.findElement(By.cssSelector("form[action='/logout'] button")));
        assertThat(browser.getCurrentUrl()).startsWith(server.baseUrl + "/login");
        open("/account");
        assertThat(browser.getCurrentUrl()).as("logged out: the account page sends us to log in").startsWith(server.baseUrl + "/login");

        open("/forgot-password");
        type("email", email);
        submit();
        assertThat(heading()).isEqualTo("Check your inbox");
        open(linkFromOutbox("reset-password"));
        assertThat(heading()).isEqualTo("Choose a new password");
        type("password", "a brand new passphrase of mine");
        submit();
        assertThat(heading()).isEqualTo("Password changed");

        logIn(email, TestServer.PASSWORD);
        assertThat(browser.findElement(By.cssSelector("[role=alert]")).getText()).contains("incorrect");
        logIn(email, "a brand new passphrase of mine");
        assertThat(browser.getCurrentUrl()).isEqualTo(server.baseUrl + "/account");
    }

    @Test
    void loginPageWhenFramedByAnotherSiteThenTheBrowserRefusesToRenderIt() {
        browser.get("data:text/html,<iframe id=f src='" + server.baseUrl + "/login'></iframe>");
        browser.switchTo().frame("f");
        assertThat(browser.findElements(By.name("password"))).as("frame-ancestors 'none' blocks the login form in a frame").isEmpty();
        browser.switchTo().defaultContent();
    }

    @Test
    void logInWithDoormanWhenARelyingPartySendsTheBrowserThenLoginLeadsBackToItsRedirectWithACode() throws Exception {
        var received = new java.util.concurrent.CompletableFuture<String>();
        var callback = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        callback.createContext("/cb", exchange -> {
            received.complete(exchange.getRequestURI().getRawQuery());
            byte[] body = "signed in".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        callback.start();
        try {
            String redirect = "http://127.0.0.1:" + callback.getAddress().getPort() + "/cb";
            server.createClient(dev.doorman.client.ClientRegistration.publicClient("Relying party").id("rp-browser")
                    .redirectUri("http://127.0.0.1/cb").scope("openid").consentRequired(false).build());
            var now = java.time.Instant.now();
            server.doorman.users().insert(new dev.doorman.account.User(dev.doorman.account.UserId.random(),
                    new dev.doorman.account.Email("rp-browser@example.org"), java.util.Optional.empty(),
                    java.util.Optional.of(server.doorman.passwordHasher().hash(new dev.doorman.account.Password(TestServer.PASSWORD))),
                    true, false, now, now));
            var state = new com.nimbusds.oauth2.sdk.id.State();
            var request = new com.nimbusds.openid.connect.sdk.AuthenticationRequest.Builder(com.nimbusds.oauth2.sdk.ResponseType.CODE,
                    new com.nimbusds.oauth2.sdk.Scope("openid"), new com.nimbusds.oauth2.sdk.id.ClientID("rp-browser"), java.net.URI.create(redirect))
                    .endpointURI(java.net.URI.create(server.baseUrl + "/oauth2/authorize")).state(state)
                    .codeChallenge(new com.nimbusds.oauth2.sdk.pkce.CodeVerifier(), com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod.S256).build();

            open("/health/live");
            browser.manage().deleteAllCookies();   // a browser that is not logged in to Doorman yet
            browser.get(request.toURI().toString());
            assertThat(heading()).isEqualTo("Log in");
            type("email", "rp-browser@example.org");
            type("password", TestServer.PASSWORD);
            browser.findElement(By.cssSelector("main form button[type=submit]")).click();

            String query;
            try {
                query = received.get(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("the relying party got no callback; the browser is at " + browser.getCurrentUrl()
                        + " showing: " + browser.getPageSource().substring(0, Math.min(1500, browser.getPageSource().length())));
            }
            assertThat(query).contains("code=").contains("state=" + state.getValue()).contains("iss=");
            assertThat(browser.getCurrentUrl()).startsWith(redirect + "?");
        } finally {
            callback.stop(0);
        }
    }

    private void logIn(String email, String password) {
        open("/login");
        type("email", email);
        type("password", password);
        submit();
    }

    private String linkFromOutbox(String path) {
        open("/dev/outbox");
        String newest = browser.findElement(By.cssSelector("main article pre")).getText();
        var matcher = LINK.matcher(newest);
        assertThat(matcher.find()).as("a %s link in the newest outbox mail:%n%s", path, newest).isTrue();
        assertThat(matcher.group(2)).isEqualTo(path);
        return matcher.group(1);
    }

    private void open(String pathOrUrl) {
        browser.get(pathOrUrl.startsWith("http") ? pathOrUrl : server.baseUrl + pathOrUrl);
    }

    private void type(String field, String value) {
        WebElement input = browser.findElement(By.name(field));
        input.clear();
        input.sendKeys(value);
    }

    /** Clicks the form's button and waits until the browser has left the page (redirects included). */
    private void submit() {
        Chromium.clickAndWaitForNewPage(browser, browser.findElement(By.cssSelector("main form button[type=submit]")));
    }

    private String heading() {
        return browser.findElement(By.tagName("h1")).getText();
    }
}
