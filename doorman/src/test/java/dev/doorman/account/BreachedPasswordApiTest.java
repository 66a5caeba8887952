package dev.doorman.account;

import dev.doorman.TestServer;
import dev.doorman.audit.AuditQuery;
import dev.doorman.audit.AuditRecord;
import dev.doorman.testkit.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PW-03 (breached), on every path that sets a password, against a generated corpus: registration, change and reset
 * refuse a breached password with a clear reason; at login a breached password still logs in but the account must
 * change it before doing anything else; the password is never echoed, stored or logged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BreachedPasswordApiTest {
    /** Strong by every other rule, so "breached" is the only reason to refuse them. */
    private static final String BREACHED = "lanterns drift over quiet harbours";
    private static final String LATER_BREACHED = "amber kettles hum beneath violet bridges";
    private static final String FRESH = "seven copper kites argue with a patient heron";
    private static final String FRESH_TOO = "marble foxes juggle tangerines at dawn";

    @TempDir
    static Path corpusDir;

    private BreachCorpus corpus;
    private TestServer server;
    private final AtomicInteger addresses = new AtomicInteger();

    @BeforeAll
    void start() {
        corpus = new BreachCorpus(corpusDir).add(BREACHED, 3_861_493);
        server = TestServer.start(TestServer.Store.SQLITE, s -> s.withPassword(s.password().withBreached(
                new PasswordSettings.BreachedCheck(Optional.of(corpusDir), true))));
    }

    @AfterAll
    void stop() {
        if (server != null) server.close();
    }

    private String address(String name) {
        return name + "-" + addresses.incrementAndGet() + "@example.org";
    }

    private static String body(String... kv) {
        var node = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        for (int i = 0; i < kv.length; i += 2) node.put(kv[i], kv[i + 1]);
        return node.toString();
    }

    private static void assertBreachedRefusal(TestHttp.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().get("code").asText()).isEqualTo("password.breached");
        assertThat(response.json().get("detail").asText()).contains("data breaches").contains("Choose a different one");
        assertThat(response.body()).doesNotContain(BREACHED).doesNotContain("3861493");
    }

    @Test
    void registerWhenPasswordIsBreachedThen400BreachedAndNoAccount() {
        String email = address("reg");
        var response = server.client().postJson("/api/v1/accounts", body("email", email, "password", BREACHED));

        assertBreachedRefusal(response);
        assertThat(server.doorman.users().findByEmail(Email.parse(email).orElseThrow())).isEmpty();
    }

    @Test
    void registerPageWhenPasswordIsBreachedThen400WithTheReasonOnTheForm() {
        var http = server.client();
        var form = http.get("/register");
        var response = http.postForm("/register", java.util.Map.of("csrf", form.csrfField(), "email", address("regpage"), "password", BREACHED));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("data breaches").doesNotContain(BREACHED);
    }

    @Test
    void changeWhenNewPasswordIsBreachedThen400AndTheOldPasswordStillWorks() {
        String email = address("change");
        server.registerVerified(email, FRESH);
        var http = server.apiLogin(email, FRESH);

        assertBreachedRefusal(http.postJson("/api/v1/me/password", body("currentPassword", FRESH, "newPassword", BREACHED)));
        assertThat(server.client().postJson("/api/v1/session", body("email", email, "password", FRESH)).status()).isEqualTo(200);
    }

    @Test
    void resetWhenNewPasswordIsBreachedThen400AndTheTokenStillWorksWithAFreshOne() {
        String email = address("reset");
        server.registerVerified(email, FRESH);
        assertThat(server.client().postJson("/api/v1/password-reset", body("email", email)).status()).isEqualTo(202);
        String token = server.tokenFromMail(email, "/reset-password");

        assertBreachedRefusal(server.client().postJson("/api/v1/password-reset/confirm", body("token", token, "password", BREACHED)));
        assertThat(server.client().postJson("/api/v1/password-reset/confirm", body("token", token, "password", FRESH_TOO)).status()).isEqualTo(204);
    }

    @Test
    void loginWhenThePasswordWasBreachedSinceThenLoggedInButEverythingElseWaitsForAPasswordChange() {
        String email = address("login");
        server.registerVerified(email, LATER_BREACHED);
        corpus.add(LATER_BREACHED, 12);
        var user = server.doorman.users().findByEmail(Email.parse(email).orElseThrow()).orElseThrow();

        var http = server.apiLogin(email, LATER_BREACHED);

        // The API: only the password change, "me" and logout answer; the rest says why.
        var sessions = http.get("/api/v1/me/sessions");
        assertThat(sessions.status()).isEqualTo(403);
        assertThat(sessions.json().get("code").asText()).isEqualTo("password.change_required");
        assertThat(http.get("/api/v1/me").status()).isEqualTo(200);
        // Pages: sent to the account page, which says what to do; an authorization request waits too.
        http.setHeader("Accept", "text/html");
        var authorize = http.get("/oauth2/authorize?client_id=x&response_type=code");
        assertThat(authorize.status()).isEqualTo(302);
        assertThat(authorize.location()).contains("/account");
        var page = http.get("/account");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"password-change-required\"").contains("Choose a new password");
        http.clearHeader("Accept");
        assertThat(records(user.id(), "password_breach_detected")).singleElement()
                .satisfies(r -> assertThat(r.reason()).contains("breached_password"));

        // Changing to the breached password again is refused; a fresh one lifts the requirement.
        assertBreachedRefusal(http.postJson("/api/v1/me/password", body("currentPassword", LATER_BREACHED, "newPassword", LATER_BREACHED)));
        assertThat(http.postJson("/api/v1/me/password", body("currentPassword", LATER_BREACHED, "newPassword", FRESH)).status()).isEqualTo(204);
        assertThat(http.get("/api/v1/me/sessions").status()).isEqualTo(200);
        assertThat(server.apiLogin(email, FRESH).get("/api/v1/me/sessions").status()).isEqualTo(200);
    }

    @Test
    void loginWhenThePasswordIsNotBreachedThenNoRequirement() {
        String email = address("clean");
        server.registerVerified(email, FRESH_TOO);

        assertThat(server.apiLogin(email, FRESH_TOO).get("/api/v1/me/sessions").status()).isEqualTo(200);
    }

    @Test
    void loginWhenBreachedThenTheRequirementOutlivesTheSessionUntilAResetLiftsIt() {
        String email = address("relog");
        server.registerVerified(email, "quartz giraffes ponder seventeen lighthouses");
        corpus.add("quartz giraffes ponder seventeen lighthouses", 1);
        server.apiLogin(email, "quartz giraffes ponder seventeen lighthouses");
        // A second login is held as well: the requirement is on the account, not on one session.
        var again = server.apiLogin(email, "quartz giraffes ponder seventeen lighthouses");
        assertThat(again.get("/api/v1/me/sessions").status()).isEqualTo(403);

        assertThat(server.client().postJson("/api/v1/password-reset", body("email", email)).status()).isEqualTo(202);
        String token = server.tokenFromMail(email, "/reset-password");
        assertThat(server.client().postJson("/api/v1/password-reset/confirm", body("token", token, "password", FRESH)).status()).isEqualTo(204);

        assertThat(server.apiLogin(email, FRESH).get("/api/v1/me/sessions").status()).isEqualTo(200);
    }

    @Test
    void everyPathWhenDoneThenNoBreachedPasswordIsInTheAuditTrailOrTheDatabase() {
        var all = server.doorman.audit().find(AuditQuery.all(1000));
        assertThat(all).isNotEmpty().allSatisfy(r -> assertThat(r.toString()).doesNotContain(BREACHED).doesNotContain(LATER_BREACHED));
        long hits = server.database.jdbi().withHandle(h -> h.createQuery(
                "select count(*) from password_change_required where reason like '%harbours%'").mapTo(Long.class).one());
        assertThat(hits).isZero();
    }

    @Test
    void registerWhenTheCorpusFileCannotBeReadThen503AndNoAccount() throws Exception {
        String unreadable = "orchids whisper to the ninth tram conductor";
        Files.createDirectories(corpusDir.resolve(BreachCorpus.prefix(unreadable)));
        String email = address("broken");
        try {
            var response = server.client().postJson("/api/v1/accounts", body("email", email, "password", unreadable));

            assertThat(response.status()).isEqualTo(503);
            assertThat(response.json().get("code").asText()).isEqualTo("service.unavailable");
            assertThat(server.doorman.users().findByEmail(Email.parse(email).orElseThrow())).isEmpty();
        } finally {
            Files.delete(corpusDir.resolve(BreachCorpus.prefix(unreadable)));
        }
    }

    private List<AuditRecord> records(UserId user, String type) {
        return server.doorman.audit().find(new AuditQuery(Optional.of(user), Optional.of(type), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), 100));
    }
}
