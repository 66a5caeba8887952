package dev.doorman.web;

import dev.doorman.TestServer;
import dev.doorman.browser.Browser;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.UUID;

import static dev.doorman.browser.Browser.fields;
import static org.assertj.core.api.Assertions.assertThat;

/** The counterpart of the production and SMTP cases: dev mode without SMTP routes the outbox, with the usual headers. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DevOutboxTest {
    private TestServer server;

    @BeforeAll
    void startServer() {
        server = TestServer.startWithDevOutbox(TestServer.Store.SQLITE);
    }

    @AfterAll
    void stopServer() {
        server.close();
    }

    @Test
    void devOutboxWhenDevModeWithoutSmtpThenRoutedAndShowsMailWithSecurityHeaders() {
        String email = "outbox-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        var browser = new Browser(server);
        assertThat(browser.submit("/register", "/register", fields("email", email, "password", TestServer.PASSWORD)).status()).isEqualTo(200);

        Wait.until(() -> browser.get("/dev/outbox").body().contains(email));
        var page = browser.get("/dev/outbox");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("Dev outbox").contains(server.baseUrl + "/verify-email?token=");
        var soft = new SoftAssertions();
        SecurityHeadersTest.assertSecurityHeaders(soft, new HeaderSweep.Exchange("GET /dev/outbox", "/dev/outbox", page));
        soft.assertAll();
        assertThat(page.header("Strict-Transport-Security")).isEmpty();
    }

    /** Mail leaves on a background thread; wait for it briefly. */
    static final class Wait {
        static void until(java.util.function.BooleanSupplier condition) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 10 s");
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }
}
