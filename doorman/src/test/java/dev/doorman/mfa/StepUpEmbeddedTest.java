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
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An embedding app's sensitive routes behind "a second factor within the last 5 minutes", on SQLite (here) and
 * PostgreSQL ({@link StepUpEmbeddedPostgresTest}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StepUpEmbeddedTest {
    private static final String PASSWORD = "correct horse battery staple";
    private static final Pattern SECRET = Pattern.compile("<code class=\"secret\"[^>]*>([A-Z2-7]+)</code>");
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
        database = Database.open(dbSettings(dir));
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

    DbSettings dbSettings(Path dir) {
        return DbSettings.embedded(dir);
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

    // ---- enrolling a factor is no second factor for the session that does it ----

    @Test
    void sensitiveRouteWhenThePasswordOnlySessionEnrolledTotpOverTheApiThenItStillStepsUpAndOnlyALaterCodeLetsItThrough() {
        user("api-enroller@example.org");
        TestHttp http = login("api-enroller@example.org");
        String secret = http.postJson(MfaPaths.API_TOTP, "{}").json().get("secret").asText();
        String enrollmentCode = TestTotp.code(secret, clock.instant());
        var confirmed = http.postJson(MfaPaths.API_TOTP_CONFIRM, "{\"code\":\"" + enrollmentCode + "\"}");
        assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);

        assertThat(sessionProof("api-enroller@example.org")).isEqualTo(new Proof("pwd", null));
        var api = http.get("/api/payments/balance");
        assertThat(api.status()).isEqualTo(401);
        assertThat(api.json().get("code").asText()).isEqualTo("mfa.step_up_required");
        assertThat(http.get("/payments/review").location()).hasValue("/mfa/step-up?returnTo=%2Fpayments%2Freview");

        // The code that enrolled proves nothing more: it was used, and the session is still password-only.
        var replay = http.postJson(MfaPaths.API_STEP_UP, "{\"code\":\"" + enrollmentCode + "\"}");
        assertThat(replay.status()).isEqualTo(401);
        assertThat(replay.json().get("code").asText()).isEqualTo("mfa.invalid_code");
        assertThat(http.get("/api/payments/balance").status()).isEqualTo(401);

        clock.advance(Duration.ofSeconds(30));
        var stepUp = http.postJson(MfaPaths.API_STEP_UP, "{\"code\":\"" + TestTotp.code(secret, clock.instant()) + "\"}");
        assertThat(stepUp.status()).as(stepUp.body()).isEqualTo(200);
        http.setHeader("X-CSRF-Token", stepUp.json().get("csrfToken").asText());
        assertThat(http.get("/api/payments/balance").body()).isEqualTo("{\"balance\":42}");
        assertThat(sessionProof("api-enroller@example.org")).isEqualTo(new Proof("pwd otp mfa", clock.millis()));
    }

    @Test
    void sensitiveRouteWhenThePasswordOnlySessionEnrolledTotpOnTheAccountPageThenTheSettingsStillShowAndTheRouteStepsUp() {
        user("page-enroller@example.org");
        TestHttp http = new TestHttp(baseUrl);
        var login = http.postForm("/login", Map.of("csrf", http.get("/login").csrfField(), "email", "page-enroller@example.org",
                "password", PASSWORD, "returnTo", MfaPaths.SETTINGS));
        assertThat(login.location()).hasValue(MfaPaths.SETTINGS);
        var setup = http.postForm(MfaPaths.TOTP_START, Map.of("csrf", http.get(MfaPaths.SETTINGS).csrfField()));
        var matcher = SECRET.matcher(setup.body());
        assertThat(matcher.find()).as(setup.body()).isTrue();
        String secret = matcher.group(1);
        var confirmed = http.postForm(MfaPaths.TOTP_CONFIRM, Map.of("csrf", setup.csrfField(), "code", TestTotp.code(secret, clock.instant())));
        assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
        assertThat(confirmed.body()).contains("Your recovery codes").contains("href=\"/account/mfa?done=totp\"");

        // Where the recovery codes page continues to: shown, not a step-up.
        var settings = http.get(MfaPaths.SETTINGS + "?done=totp");
        assertThat(settings.status()).isEqualTo(200);
        assertThat(settings.body()).contains("Your authenticator app is set up.");
        assertThat(sessionProof("page-enroller@example.org")).isEqualTo(new Proof("pwd", null));

        var sent = http.get("/payments/review");
        assertThat(sent.location()).hasValue("/mfa/step-up?returnTo=%2Fpayments%2Freview");
        var page = http.get(sent.location().orElseThrow());
        assertThat(page.body()).contains("Code from your authenticator app").contains("if you have just used one");
        var replay = http.postForm(MfaPaths.STEP_UP, Map.of("csrf", page.csrfField(), "code", TestTotp.code(secret, clock.instant()),
                "returnTo", "/payments/review"));
        assertThat(replay.status()).isEqualTo(401);
        assertThat(replay.body()).contains("wait for the next one");

        clock.advance(Duration.ofSeconds(30));
        var back = http.postForm(MfaPaths.STEP_UP, Map.of("csrf", replay.csrfField(), "code", TestTotp.code(secret, clock.instant()),
                "returnTo", "/payments/review"));
        assertThat(back.location()).hasValue("/payments/review");
        assertThat(http.get("/payments/review").body()).isEqualTo("review of page-enroller@example.org");
    }

    /** What the user's one session has proved: its amr and when it last passed a second factor (epoch ms, or null). */
    record Proof(String amr, Long secondFactorAt) { }

    private Proof sessionProof(String email) {
        return database.jdbi().withHandle(h -> h.createQuery("select s.amr, s.second_factor_at from sessions s join users u on u.id = s.user_id "
                        + "where u.email = :email")
                .bind("email", email)
                .map((rs, ctx) -> new Proof(rs.getString("amr"), rs.getObject("second_factor_at") == null ? null : rs.getLong("second_factor_at")))
                .one());
    }
}
