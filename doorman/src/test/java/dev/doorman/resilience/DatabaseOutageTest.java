package dev.doorman.resilience;

import dev.doorman.TestServer;
import dev.doorman.testkit.TestHttp;
import dev.doorman.testkit.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database that stops answering gives clean 503s (never a 500, never a stack trace, never a false "logged out"),
 * readiness says so while liveness stays up, and everything works again when it returns, without a restart and
 * without losing the sessions it holds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabaseOutageTest {
    private TestServer server;
    private String databaseName;

    @BeforeAll
    void start() {
        server = TestServer.start(TestServer.Store.POSTGRES);
        databaseName = currentDatabase();
    }

    @AfterAll
    void stop() throws SQLException {
        allowConnections(true);
        server.close();
    }

    @Test
    void requestsWhenTheDatabaseRefusesConnectionsThen503AndWhenItReturnsThenTheSameSessionWorksAgain() throws Exception {
        server.registerVerified("outage@example.org", TestServer.PASSWORD);
        TestHttp http = server.apiLogin("outage@example.org", TestServer.PASSWORD);
        assertThat(http.get("/api/v1/me").status()).isEqualTo(200);

        allowConnections(false);
        try {
            long start = System.nanoTime();
            var me = http.get("/api/v1/me");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(me.status()).as(me.body()).isEqualTo(503);
            assertThat(me.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
            assertThat(me.json().get("code").asText()).isEqualTo("service.unavailable");
            assertThat(me.body()).doesNotContain("Exception", "org.postgresql", "SQL", "at java.");
            assertThat(took).as("answered within the pool's connection timeout").isLessThan(Duration.ofSeconds(5));
            assertThat(me.setCookies()).as("a database outage does not log anyone out").isEmpty();

            var login = server.client().postJson("/api/v1/session", "{\"email\":\"outage@example.org\",\"password\":\"" + TestServer.PASSWORD + "\"}");
            assertThat(login.status()).isEqualTo(503);
            var browser = server.client();
            var form = browser.get("/login");
            assertThat(form.status()).as("the login page itself needs no database").isEqualTo(200);
            var page = browser.postForm("/login", java.util.Map.of("csrf", form.csrfField(), "email", "outage@example.org",
                    "password", TestServer.PASSWORD, "returnTo", "/account"));
            assertThat(page.status()).isEqualTo(503);
            assertThat(page.body()).contains("temporarily unavailable").doesNotContain("Exception");

            assertThat(http.get("/health/ready").status()).isEqualTo(503);
            assertThat(http.get("/health/live").status()).isEqualTo(200);
        } finally {
            allowConnections(true);
        }

        // The pool reconnects on its own; readiness flips back well within the 30 s the checklist allows (FT-02).
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (http.get("/health/ready").status() != 200 && System.nanoTime() < deadline) Thread.sleep(200);
        assertThat(http.get("/health/ready").status()).isEqualTo(200);
        assertThat(http.get("/api/v1/me").status()).as("the session survived the outage").isEqualTo(200);
    }

    private String currentDatabase() {
        return server.database.jdbi().withHandle(h -> h.createQuery("select current_database()").mapTo(String.class).one());
    }

    /** As the superuser: stop (or allow) new connections to the test database and end the open ones. */
    private void allowConnections(boolean allow) throws SQLException {
        try (var admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + TestPostgres.port() + "/postgres", "postgres", "");
             var statement = admin.createStatement()) {
            statement.execute("alter database \"" + databaseName + "\" with allow_connections " + allow);
            if (!allow) {
                statement.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = '" + databaseName + "'");
            }
        }
    }
}
