package dev.doorman.account;

import dev.doorman.TestServer;
import dev.doorman.testkit.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The account page's recent security activity: the user's own logins, failures and password changes, new devices marked. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityActivityTest {
    private TestServer server;

    @BeforeAll
    void start() {
        server = TestServer.start(TestServer.Store.SQLITE);
    }

    @AfterAll
    void stop() {
        if (server != null) server.close();
    }

    private TestHttp loginWith(String email, String password, String userAgent) {
        var http = server.client();
        http.setHeader("User-Agent", userAgent);
        var response = http.postJson("/api/v1/session", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
        if (response.status() == 200) http.setHeader("X-CSRF-Token", response.json().get("csrfToken").asText());
        return http;
    }

    @Test
    void accountPageWhenLoginsFailuresAndAPasswordChangeHappenedThenListedNewestFirstWithTheNewDeviceMarked() {
        server.registerVerified("ada@example.org", TestServer.PASSWORD);
        server.registerVerified("mallory@example.org", TestServer.PASSWORD);
        loginWith("ada@example.org", TestServer.PASSWORD, "Firefox/128 on Linux");
        loginWith("ada@example.org", "this is not adas password", "EvilBot/1.0");
        loginWith("mallory@example.org", TestServer.PASSWORD, "Mallory's <script>alert(1)</script> browser");
        var phone = loginWith("ada@example.org", TestServer.PASSWORD, "Safari/17 on iPhone");
        assertThat(phone.postJson("/api/v1/me/password", "{\"currentPassword\":\"" + TestServer.PASSWORD
                + "\",\"newPassword\":\"violet kettle under amber snow\"}").status()).isEqualTo(204);

        phone.setHeader("Accept", "text/html");
        var page = phone.get("/account");

        assertThat(page.status()).isEqualTo(200);
        String body = page.body();
        String activity = body.substring(body.indexOf("Recent security activity"), body.indexOf("id=\"apps-heading\""));
        assertThat(activity).containsSubsequence("Password changed", "Logged in", "Safari/17 on iPhone", "new device",
                "Failed login: wrong password", "EvilBot/1.0", "Logged in", "Firefox/128 on Linux", "E-mail address verified");
        // The first login has nothing to compare with; only the iPhone is new. Nothing of another account shows.
        assertThat(activity.split("new device", -1)).hasSize(2);
        assertThat(activity).doesNotContain("Mallory").doesNotContain("<script>");
    }

    @Test
    void activityWhenTheSameBrowserLogsInFromANewAddressThenTheAddressIsMarkedNew() {
        server.registerVerified("bea@example.org", TestServer.PASSWORD);
        loginWith("bea@example.org", TestServer.PASSWORD, "Firefox");
        UserId bea = server.doorman.users().findByEmail(Email.parse("bea@example.org").orElseThrow()).orElseThrow().id();
        // The same browser from another address, recorded as the login flow records it.
        new dev.doorman.audit.AuditLog(new dev.doorman.audit.JdbiAuditStore(server.database.jdbi()), server.clock)
                .success(dev.doorman.audit.AuditType.LOGIN_SUCCEEDED, Optional.of(bea), new dev.doorman.support.ClientInfo("198.51.100.4", "Firefox"));
        var rows = server.doorman.audit().activity(bea, 10);
        assertThat(rows).first().satisfies(a -> {
            assertThat(a.description()).isEqualTo("Logged in");
            assertThat(a.newDevice()).isFalse();
            assertThat(a.newIp()).isTrue();
        });
        assertThat(rows.get(1).newIp()).isFalse();
        assertThat(rows).extracting(a -> a.record().type()).doesNotContain("account_registered");
        assertThat(Optional.of(rows.size())).hasValueSatisfying(n -> assertThat(n).isLessThanOrEqualTo(10));
    }
}
