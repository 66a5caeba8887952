package dev.doorman.audit;

import dev.doorman.TestServer;
import dev.doorman.account.RoleStore;
import dev.doorman.testkit.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin security page: failed logins as a server-drawn SVG chart by reason, top sources, lockouts; admins only; no script. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityDashboardTest {
    private TestServer server;
    private TestHttp admin;

    @BeforeAll
    void start() {
        server = TestServer.start(TestServer.Store.SQLITE);
        server.doorman.roles().save(new RoleStore.Role("admin", Optional.empty()));
        server.registerVerified("victim@example.org", TestServer.PASSWORD);
        var attacker = server.client();
        for (int i = 0; i < 3; i++)
            attacker.postJson("/api/v1/session", "{\"email\":\"victim@example.org\",\"password\":\"guess number " + i + " is wrong\"}");
        for (int i = 0; i < 2; i++)
            attacker.postJson("/api/v1/session", "{\"email\":\"stuffed-" + i + "@example.org\",\"password\":\"leaked password " + i + "\"}");
        // A lockout as the account-protection feature records it (its type is not one this build defines).
        server.database.jdbi().useHandle(h -> h.execute("insert into audit_events (id, at, type, outcome, reason, subject_hint, ip, user_agent) "
                + "values ('00000000-0000-0000-0000-00000000000a', ?, 'account_locked', 'failure', 'too_many_failures', 'abc123', '192.0.2.77', 'x')",
                server.clock.millis()));
        new JdbiAuditStore(server.database.jdbi()).chainUnchained();
        var loggedIn = server.registerAndLogIn("admin@example.org");
        server.doorman.roles().setRoles(loggedIn.user(), Set.of("admin"));
        admin = loggedIn.http();
        admin.setHeader("Accept", "text/html");
    }

    @AfterAll
    void stop() {
        if (server != null) server.close();
    }

    @Test
    void pageWhenAnonymousThenSentToLogInAndBack() {
        var response = server.client().get(AuditPaths.ADMIN_PAGE);

        assertThat(response.status()).isEqualTo(303);
        assertThat(response.location()).contains("/login?returnTo=%2Fadmin%2Fsecurity");
    }

    @Test
    void pageWhenSignedInWithoutTheAdminRoleThen403() {
        var user = server.registerAndLogIn("plain@example.org").http();
        user.setHeader("Accept", "text/html");

        var response = user.get(AuditPaths.ADMIN_PAGE);

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.body()).doesNotContain("Top sources").doesNotContain("<svg");
    }

    @Test
    void pageWhenFailuresHappenedThenTheChartHasABarPerReasonAndTheLegendCountsThem() {
        var response = admin.get(AuditPaths.ADMIN_PAGE);

        assertThat(response.status()).isEqualTo(200);
        String body = response.body();
        assertThat(body).contains("<svg", "role=\"img\"", "5 failed logins in the last hour");
        assertThat(body).containsPattern("<rect class=\"bar\"[^>]*fill=\"#[0-9A-F]{6}\"><title>3 × wrong_password from \\d\\d:\\d\\d UTC</title>");
        assertThat(body).contains("<title>2 × unknown_account from ");
        assertThat(body).containsPattern("wrong_password</td><td>3</td>").containsPattern("unknown_account</td><td>2</td>");
        assertThat(body).doesNotContain("<script").doesNotContain("victim@example.org").doesNotContain("stuffed-0@example.org");
        assertThat(response.header("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp).doesNotContain("unsafe-inline"));
    }

    @Test
    void pageWhenFailuresCameFromOneAddressThenItTopsTheSourcesWithHowManyAccountsItTried() {
        String body = admin.get(AuditPaths.ADMIN_PAGE).body();

        assertThat(body).containsPattern("<tr><td>127\\.0\\.0\\.1</td><td>5</td><td>3</td></tr>");
    }

    @Test
    void pageWhenTheTrailRecordsALockoutThenItIsListed() {
        String body = admin.get(AuditPaths.ADMIN_PAGE).body();

        assertThat(body).contains("<td>account_locked</td><td>abc123</td><td>192.0.2.77</td><td>too_many_failures</td>");
    }

    @Test
    void pageWhenTheDayWindowIsChosenThenHourlyBarsStillCountTheFailures() {
        var response = admin.get(AuditPaths.ADMIN_PAGE + "?window=day");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).contains("5 failed logins in the last 24 hours, at most 5 per 1 h.");
    }

    @Test
    void pageWhenTheWindowIsUnknownThen400() {
        assertThat(admin.get(AuditPaths.ADMIN_PAGE + "?window=year").status()).isEqualTo(400);
    }

    @Test
    void niceCeilingWhenCountsGrowThenGridlinesStayRound() {
        assertThat(SecurityDashboard.niceCeiling(1)).isEqualTo(4);
        assertThat(SecurityDashboard.niceCeiling(5)).isEqualTo(8);
        assertThat(SecurityDashboard.niceCeiling(9)).isEqualTo(20);
        assertThat(SecurityDashboard.niceCeiling(1234)).isEqualTo(2000);
    }

    @Test
    void pageWhenTheFailuresAreOlderThanTheWindowThenTheHourIsEmptyButTheDayIsNot() {
        server.clock.advance(Duration.ofHours(2));
        try {
            var fresh = server.registerAndLogIn("admin2@example.org");
            server.doorman.roles().setRoles(fresh.user(), Set.of("admin"));
            fresh.http().setHeader("Accept", "text/html");
            assertThat(fresh.http().get(AuditPaths.ADMIN_PAGE).body()).contains("No failed logins in the last hour.");
            assertThat(fresh.http().get(AuditPaths.ADMIN_PAGE + "?window=day").body()).contains("5 failed logins in the last 24 hours");
        } finally {
            server.clock.advance(Duration.ofHours(-2));
        }
    }
}
