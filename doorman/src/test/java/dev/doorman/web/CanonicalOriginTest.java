package dev.doorman.web;

import dev.doorman.TestServer;
import dev.doorman.browser.Browser;
import dev.doorman.testkit.TestMail;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PR-05: mailed links come from the configured base URL, never from {@code Host} or forwarding headers. The JDK's
 * HttpClient will not send a forged {@code Host}, so these requests go over a raw socket.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CanonicalOriginTest {
    private static final String FORGED_HEADERS = "Host: evil.example\r\nX-Forwarded-Host: evil.example\r\nX-Forwarded-Proto: https\r\n"
            + "X-Forwarded-Server: evil.example\r\nForwarded: host=evil.example;proto=https\r\nX-Original-Host: evil.example\r\n";

    private TestServer server;

    @BeforeAll
    void startServer() {
        server = TestServer.start(TestServer.Store.SQLITE);
    }

    @AfterAll
    void stopServer() {
        server.close();
    }

    private static String email(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
    }

    @Test
    void apiResetRequestWhenHostAndForwardedHostAreForgedThenMailedLinkUsesTheConfiguredOrigin() {
        String email = email("hostapi");
        server.registerVerified(email, TestServer.PASSWORD);

        var response = RawHttp.send(server.baseUrl, "POST /api/v1/password-reset HTTP/1.1\r\n" + FORGED_HEADERS
                + "Content-Type: application/json\r\n", "{\"email\":\"" + email + "\"}");

        assertThat(response.status()).isEqualTo(202);
        String link = Browser.linkFromMail(server, email, "/reset-password");
        assertThat(link).startsWith(server.baseUrl + "/reset-password?token=").doesNotContain("evil.example");
        assertThat(server.mail.all()).filteredOn(m -> m.to().equalsIgnoreCase(email))
                .allSatisfy(m -> assertThat(m.text()).doesNotContain("evil.example"));
        // The link is the real one: it opens the reset form.
        assertThat(server.client().get(link).status()).isEqualTo(200);
    }

    @Test
    void formResetRequestWhenHostAndForwardedHostAreForgedThenMailedLinkUsesTheConfiguredOrigin() {
        String email = email("hostform");
        server.registerVerified(email, TestServer.PASSWORD);
        var browser = new Browser(server);
        String csrf = browser.get("/forgot-password").csrfField();
        String preSession = browser.http.cookies().get("doorman_presession");
        String body = "csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8) + "&email=" + URLEncoder.encode(email, StandardCharsets.UTF_8);

        var response = RawHttp.send(server.baseUrl, "POST /forgot-password HTTP/1.1\r\n" + FORGED_HEADERS
                + "Cookie: doorman_presession=" + preSession + "\r\nContent-Type: application/x-www-form-urlencoded\r\n", body);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).contains("Check your inbox").doesNotContain("evil.example");
        String link = Browser.linkFromMail(server, email, "/reset-password");
        assertThat(link).startsWith(server.baseUrl + "/reset-password?token=");
    }

    @Test
    void registrationWhenHostIsForgedThenVerificationAndNoticeLinksUseTheConfiguredOrigin() {
        String email = email("hostregister");

        var first = RawHttp.send(server.baseUrl, "POST /api/v1/accounts HTTP/1.1\r\n" + FORGED_HEADERS + "Content-Type: application/json\r\n",
                "{\"email\":\"" + email + "\",\"password\":\"" + TestServer.PASSWORD + "\"}");
        var again = RawHttp.send(server.baseUrl, "POST /api/v1/accounts HTTP/1.1\r\n" + FORGED_HEADERS + "Content-Type: application/json\r\n",
                "{\"email\":\"" + email + "\",\"password\":\"" + TestServer.PASSWORD + "\"}");

        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).isEqualTo(202);
        var mails = server.mail.waitForMails(email, 2, java.time.Duration.ofSeconds(10));
        assertThat(mails).allSatisfy(m -> assertThat(m.text()).doesNotContain("evil.example").contains(server.baseUrl + "/"));
        assertThat(TestMail.firstLink(mails.getFirst().text(), "/verify-email")).hasValueSatisfying(l -> assertThat(l).startsWith(server.baseUrl));
    }

    @Test
    void pageWhenHostIsForgedThenNoAbsoluteLinkPointsAtTheForgedHost() {
        var response = RawHttp.send(server.baseUrl, "GET /login HTTP/1.1\r\n" + FORGED_HEADERS, null);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).doesNotContain("evil.example");
        assertThat(response.header("Location")).isEmpty();
    }
}
