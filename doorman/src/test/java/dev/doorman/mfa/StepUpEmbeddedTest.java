package dev.doorman.mfa;

import dev.doorman.Doorman;
import dev.doorman.DoormanSettings;
import dev.doorman.account.Email;
import dev.doorman.account.Password;
import dev.doorman.account.User;
import dev.doorman.account.UserId;
import dev.doorman.db.Database;
import dev.doorman.db.DbSettings;
import dev.doorman.testkit.MutableClock;
import dev.doorman.testkit.TestHttp;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** An embedding app's sensitive routes behind "a second factor within the last 5 minutes". */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StepUpEmbeddedTest {
    private static final String PASSWORD = "correct horse battery staple";
    private final MutableClock clock = MutableClock.at(Instant.parse("2026-11-28T10:00:00Z"));
    private Database database;
    private Doorman doorman;
    private Javalin app;
    private String baseUrl;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        baseUrl = "http://127.0.0.1:" + port;
        database = Database.open(DbSettings.embedded(dir));
        database.migrate();
        doorman = Doorman.builder(DoormanSettings.dev(URI.create(baseUrl)), database).clock(clock).build();
        app = Javalin.create(config -> {
            doorman.configureServer(config);
            config.routes.beforeMatched("/payments/*", doorman.secondFactorWithin(Duration.ofMinutes(5)));
            config.routes.get("/payments/review", ctx -> ctx.result("review of " + doorman.currentUser(ctx).orElseThrow().email()));
            config.routes.get("/api/payments/balance", ctx -> {
                if (!doorman.requireSecondFactor(ctx, Duration.ofMinutes(5))) return;
                ctx.result("{\"balance\":42}");
            });
        }).start("127.0.0.1", port);
    }

    @AfterAll
    void stop() {
        app.stop();
        doorman.close();
        database.close();
    }

    private void user(String email) {
        var now = clock.instant();
        doorman.users().insert(new User(UserId.random(), Email.parse(email).orElseThrow(), Optional.empty(),
                Optional.of(doorman.passwordHasher().hash(new Password(PASSWORD))), true, false, now, now));
    }

    private TestHttp login(String email) {
        var http = new TestHttp(baseUrl);
        var response = http.postJson("/api/v1/session", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}");
        if (response.status() == 200) http.setHeader("X-CSRF-Token", response.json().get("csrfToken").asText());
        return http;
    }

    private String enroll(TestHttp http) {
        String secret = http.postJson(MfaPaths.API_TOTP, "{}").json().get("secret").asText();
        assertThat(http.postJson(MfaPaths.API_TOTP_CONFIRM, "{\"code\":\"" + TestTotp.code(secret, clock.instant()) + "\"}").status()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(30));
        return secret;
    }

    @Test
    void sensitiveRouteWhenAnonymousThenLoginAndWhenNoFactorThen403() {
        assertThat(new TestHttp(baseUrl).get("/payments/review").location()).hasValue("/login?returnTo=%2Fpayments%2Freview");
        user("no-factor@example.org");
        var http = login("no-factor@example.org");
        var refused = http.get("/payments/review");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("This needs two-factor authentication");
    }

    @Test
    void sensitiveRouteWhenTheSecondFactorIsOlderThanFiveMinutesThenStepUpAndBackToTheSameUrl() {
        user("payer@example.org");
        String secret = enroll(login("payer@example.org"));
        TestHttp http = new TestHttp(baseUrl);
        assertThat(http.postJson("/api/v1/session", "{\"email\":\"payer@example.org\",\"password\":\"" + PASSWORD + "\"}").status()).isEqualTo(202);
        var full = http.postJson(MfaPaths.API_CHALLENGE, "{\"code\":\"" + TestTotp.code(secret, clock.instant()) + "\"}");
        http.setHeader("X-CSRF-Token", full.json().get("csrfToken").asText());
        assertThat(http.get("/payments/review?id=7").body()).isEqualTo("review of payer@example.org");

        clock.advance(Duration.ofMinutes(6));
        var sent = http.get("/payments/review?id=7");
        assertThat(sent.status()).isEqualTo(303);
        assertThat(sent.location()).hasValue("/mfa/step-up?returnTo=%2Fpayments%2Freview%3Fid%3D7");
        var page = http.get(sent.location().orElseThrow());
        assertThat(page.body()).contains("Confirm it is you");
        var back = http.postForm(MfaPaths.STEP_UP, Map.of("csrf", page.csrfField(), "code", TestTotp.code(secret, clock.instant()),
                "returnTo", "/payments/review?id=7"));
        assertThat(back.status()).isEqualTo(303);
        assertThat(back.location()).hasValue("/payments/review?id=7");
        assertThat(http.get("/payments/review?id=7").status()).isEqualTo(200);

        clock.advance(Duration.ofMinutes(6));
        var api = http.get("/api/payments/balance");
        assertThat(api.status()).isEqualTo(401);
        assertThat(api.json().get("code").asText()).isEqualTo("mfa.step_up_required");
        assertThat(http.postJson(MfaPaths.API_STEP_UP, "{\"code\":\"" + TestTotp.code(secret, clock.instant()) + "\"}").status()).isEqualTo(200);
        assertThat(http.get("/api/payments/balance").body()).isEqualTo("{\"balance\":42}");
    }
}
