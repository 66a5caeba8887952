package dev.doorman.examples.logindemo;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import dev.doorman.TestServer;
import dev.doorman.client.ClientRegistration;
import dev.doorman.testkit.Chromium;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In headless chromium: sign in to the login demo through Doorman's login and consent pages, see the profile, sign
 * out of both. Doorman runs on localhost and the demo on 127.0.0.1, two different sites, as in real life.
 * Skipped only where chromium is not installed and CI is not set; .ci/run installs it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoginDemoBrowserTest {
    private TestServer doorman;
    private Javalin demo;
    private String demoUrl;
    private WebDriver browser;

    @BeforeAll
    void start() throws Exception {
        Chromium.requireInstalled();

        doorman = TestServer.startWithDevOutbox(TestServer.Store.SQLITE);
        doorman.clock.set(Instant.now());
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        demoUrl = "http://127.0.0.1:" + port;
        var client = doorman.createClient(ClientRegistration.confidential("Login demo").id("login-demo")
                .redirectUri(demoUrl + "/callback").redirectUri(demoUrl + "/logged-out")
                .scope("openid").scope("profile").scope("email").grantType("authorization_code").grantType("refresh_token").build());
        demo = LoginDemo.start(new DemoSettings(new Issuer(doorman.baseUrl), new ClientID("login-demo"), client.secret().orElseThrow(),
                URI.create(demoUrl), port, JWSAlgorithm.RS256), "127.0.0.1");

        browser = Chromium.start();
    }

    @AfterAll
    void stop() {
        if (browser != null) browser.quit();
        if (demo != null) demo.stop();
        if (doorman != null) doorman.close();
    }

    @Test
    void signInThroughDoormansPagesShowsTheProfileAndSignOutEndsBothSessions() {
        doorman.createVerifiedUser("grace@example.org", "Grace Hopper");

        browser.get(demoUrl + "/");
        clickAndWait(By.id("sign-in"));
        assertThat(browser.getCurrentUrl()).startsWith(doorman.baseUrl + "/login");
        browser.findElement(By.name("email")).sendKeys("grace@example.org");
        browser.findElement(By.name("password")).sendKeys(TestServer.PASSWORD);
        clickAndWait(By.cssSelector("form button[type=submit]"));

        assertThat(browser.getCurrentUrl()).startsWith(doorman.baseUrl + "/oauth2/consent");
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("Login demo");
        clickAndWait(By.cssSelector("button[value=approve]"));

        assertThat(browser.getCurrentUrl()).isEqualTo(demoUrl + "/");
        assertThat(browser.findElement(By.id("email")).getText()).isEqualTo("grace@example.org");
        assertThat(browser.findElement(By.id("name")).getText()).isEqualTo("Grace Hopper");
        assertThat(browser.manage().getCookies()).extracting(org.openqa.selenium.Cookie::getName).containsExactly(LoginDemo.SESSION_COOKIE);

        clickAndWait(By.id("sign-out"));
        assertThat(browser.getCurrentUrl()).startsWith(demoUrl + "/logged-out");
        assertThat(browser.findElement(By.tagName("body")).getText()).contains("You are signed out");

        // Signed out of Doorman too: signing in again shows Doorman's login form, not straight back to the profile.
        browser.get(demoUrl + "/");
        clickAndWait(By.id("sign-in"));
        assertThat(browser.getCurrentUrl()).startsWith(doorman.baseUrl + "/login");
    }

    private void clickAndWait(By target) {
        Chromium.clickAndWaitForNewPage(browser, browser.findElement(target));
    }
}
