package dev.doorman.mfa;

import dev.doorman.TestServer;
import dev.doorman.account.Email;
import dev.doorman.account.Password;
import dev.doorman.account.User;
import dev.doorman.account.UserId;
import dev.doorman.testkit.Chromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.virtualauthenticator.HasVirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A passkey in a real browser: headless chromium with Chrome's virtual authenticator (WebDriver's WebAuthn API)
 * registers a passkey on the account page through passkeys.js, then logs in with it, with and without the password, and
 * steps up with it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PasskeyBrowserTest {
    private TestServer server;
    private WebDriver browser;
    private VirtualAuthenticator authenticator;

    @BeforeAll
    void start() throws IOException {
        Chromium.requireInstalled();
        // http://localhost: a secure context for WebAuthn, and a valid relying-party id (an IP address is not).
        server = TestServer.startWithDevOutbox(TestServer.Store.SQLITE);
        server.clock.set(Instant.now());
        browser = Chromium.start();
        browser.get(server.baseUrl + "/login");   // the virtual authenticator belongs to the page's browsing context
        authenticator = ((HasVirtualAuthenticator) browser).addVirtualAuthenticator(new VirtualAuthenticatorOptions()
                .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
                .setHasResidentKey(true).setHasUserVerification(true).setIsUserVerified(true).setIsUserConsenting(true));
    }

    @AfterAll
    void stop() {
        if (browser != null) browser.quit();
        if (server != null) server.close();
    }

    @Test
    void passkeyWhenRegisteredOnTheAccountPageThenItLogsInAsSecondFactorAndWithoutAPassword() {
        String email = "passkey-browser@example.org";
        var now = server.clock.instant();
        assertThat(server.doorman.users().insert(new User(UserId.random(), Email.parse(email).orElseThrow(), Optional.of("Pat Passkey"),
                Optional.of(server.doorman.passwordHasher().hash(new Password(TestServer.PASSWORD))), true, false, now, now))).isTrue();

        logIn(email);
        assertThat(browser.getCurrentUrl()).isEqualTo(server.baseUrl + "/account");

        open("/account/mfa");
        WebElement name = browser.findElement(By.id("passkey-name"));
        name.clear();
        name.sendKeys("My laptop");
        browser.findElement(By.id("passkey-register-button")).click();
        // The first factor comes with recovery codes, shown once by the script before it moves on.
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("ul.recovery-codes li")));
        assertThat(browser.findElements(By.cssSelector("ul.recovery-codes li"))).hasSize(10);
        assertThat(browser.findElements(By.id("passkey-error")).stream().filter(WebElement::isDisplayed).toList()).isEmpty();
        followAndWait(browser.findElement(By.linkText("I have saved them — continue")));
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("The passkey was saved.").contains("My laptop");
        assertThat(authenticator.getCredentials()).hasSize(1);

        // Second factor: the password, then the passkey on the challenge page.
        logOut();
        logIn(email);
        assertThat(browser.getCurrentUrl()).isEqualTo(server.baseUrl + "/login/mfa");
        clickAndWaitForNavigation(By.id("passkey-button"));
        assertThat(browser.getCurrentUrl()).isEqualTo(server.baseUrl + "/account");
        assertThat(browser.findElement(By.tagName("main")).getText()).contains(email);

        // Step-up with the passkey, back to the page that asked for it.
        open("/mfa/step-up?returnTo=%2Faccount%2Fmfa");
        clickAndWaitForNavigation(By.id("passkey-button"));
        assertThat(browser.getCurrentUrl()).isEqualTo(server.baseUrl + "/account/mfa");

        // Passwordless: only the passkey, from the login page.
        logOut();
        open("/login");
        clickAndWaitForNavigation(By.id("passkey-button"));
        assertThat(browser.getCurrentUrl()).isEqualTo(server.baseUrl + "/account");
        assertThat(browser.findElement(By.tagName("main")).getText()).contains(email);
    }

    private void logIn(String email) {
        open("/login");
        type("email", email);
        type("password", TestServer.PASSWORD);
        Chromium.clickAndWaitForNewPage(browser, browser.findElement(By.cssSelector("main form button[type=submit]")));
    }

    private void logOut() {
        Chromium.clickAndWaitForNewPage(browser, browser.findElement(By.cssSelector("form[action='/logout'] button")));
    }

    private void clickAndWaitForNavigation(By button) {
        try {
            Chromium.clickAndWaitForNewPage(browser, browser.findElement(button));
        } catch (RuntimeException e) {
            String error = browser.findElements(By.id("passkey-error")).stream().map(WebElement::getText).findFirst().orElse("");
            throw new AssertionError("no navigation after the passkey; page says: " + error, e);
        }
    }

    private void followAndWait(WebElement link) {
        Chromium.clickAndWaitForNewPage(browser, link);
    }

    private void open(String path) {
        browser.get(server.baseUrl + path);
    }

    private void type(String field, String value) {
        WebElement input = browser.findElement(By.name(field));
        input.clear();
        input.sendKeys(value);
    }
}
