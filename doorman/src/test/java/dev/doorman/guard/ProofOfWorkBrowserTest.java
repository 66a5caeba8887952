package dev.doorman.guard;

import dev.doorman.TestServer;
import dev.doorman.account.Email;
import dev.doorman.account.Password;
import dev.doorman.account.User;
import dev.doorman.account.UserId;
import dev.doorman.audit.AuditType;
import dev.doorman.testkit.Chromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The login page's proof of work in a real browser (Debian's chromium, headless): once a challenge is required, the
 * page's same-origin script solves it by itself and the login goes through with nothing more than the password typed
 * again. Proves the script runs under the page's CSP and agrees with the server's check.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProofOfWorkBrowserTest {
    private TestServer server;
    private WebDriver browser;

    @BeforeAll
    void start() throws IOException {
        Chromium.requireInstalled();
        // A challenge from the second attempt of one (account, source) pair on; no delays.
        server = TestServer.startWithDevOutbox(TestServer.Store.SQLITE, s -> s.withGuard(GuardSettings.defaults()
                .withEscalation(new GuardSettings.Escalation(1000, Duration.ZERO, Duration.ZERO, 1, 14, 14, Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofDays(90)))));
        browser = Chromium.start();
    }

    @AfterAll
    void stop() {
        if (browser != null) browser.quit();
        if (server != null) server.close();
    }

    @Test
    void loginPageWhenAChallengeIsRequiredThenTheBrowserSolvesItByItselfAndTheLoginGoesThrough() {
        var now = Instant.now();
        String hash = server.doorman.passwordHasher().hash(new Password(TestServer.PASSWORD));
        server.doorman.users().insert(new User(UserId.random(), new Email("walker@example.org"), Optional.empty(), Optional.of(hash),
                true, false, now, now));

        logIn("walker@example.org", "not my password at all");
        assertThat(browser.findElement(By.cssSelector("p.error")).getText()).contains("incorrect");

        logIn("walker@example.org", "still not my password");
        assertThat(browser.findElements(By.cssSelector("form[data-pow]"))).hasSize(1);
        assertThat(browser.findElement(By.cssSelector("p.error")).getText()).contains("security check");

        // The user only types the password again and presses the button; the script finds the nonce and sends the form.
        browser.findElement(By.name("password")).sendKeys(TestServer.PASSWORD);
        browser.findElement(By.cssSelector("main form button[type=submit]")).click();
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> d.getCurrentUrl().endsWith("/account"));
        assertThat(server.doorman.auditTrail().recent(100)).anySatisfy(e -> assertThat(e.type()).isEqualTo(AuditType.LOGIN_SUCCEEDED));
    }

    private void logIn(String email, String password) {
        browser.get(server.baseUrl + "/login");
        browser.findElement(By.name("email")).sendKeys(email);
        browser.findElement(By.name("password")).sendKeys(password);
        Chromium.clickAndWaitForNewPage(browser, browser.findElement(By.cssSelector("main form button[type=submit]")));
    }
}
