package dev.doorman.mfa;

import com.fasterxml.jackson.databind.JsonNode;
import dev.doorman.TestServer;
import dev.doorman.account.UserId;
import dev.doorman.testkit.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TOTP, recovery codes, the login's second step and re-authentication over the JSON API, with an authenticator app
 * simulated in the test ({@link TestTotp}) from the secret the server hands out.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MfaApiContract {
    static final String PASSWORD = TestServer.PASSWORD;
    private static final Duration MAIL_WAIT = Duration.ofSeconds(10);
    private final AtomicInteger addresses = new AtomicInteger();
    protected TestServer server;

    abstract TestServer.Store store();

    @BeforeAll
    final void startServer() {
        server = TestServer.start(store());
    }

    @AfterAll
    final void stopServer() {
        if (server != null) server.close();
    }

    record Enrolled(String email, String secret, List<String> recoveryCodes, TestHttp http) { }

    String newEmail(String hint) {
        return hint + "-" + addresses.incrementAndGet() + "-" + store().name().toLowerCase() + "@example.org";
    }

    /** Registers, logs in, enrolls TOTP and moves the clock to the next step (the enrollment used the current one). */
    Enrolled enrolled(String hint) {
        String email = newEmail(hint);
        server.registerVerified(email, PASSWORD);
        TestHttp http = server.apiLogin(email, PASSWORD);
        var start = http.postJson(MfaPaths.API_TOTP, "{}");
        assertThat(start.status()).as(start.body()).isEqualTo(200);
        String secret = start.json().get("secret").asText();
        var confirm = http.postJson(MfaPaths.API_TOTP_CONFIRM, "{\"code\":\"" + TestTotp.code(secret, server.clock.instant()) + "\"}");
        assertThat(confirm.status()).as(confirm.body()).isEqualTo(200);
        var codes = new ArrayList<String>();
        confirm.json().get("recoveryCodes").forEach(c -> codes.add(c.asText()));
        server.clock.advance(Duration.ofSeconds(30));
        return new Enrolled(email, secret, codes, http);
    }

    /** The password step of a fresh client: 202, a second factor must follow. */
    TestHttp passwordStep(String email) {
        TestHttp http = server.client();
        var response = http.postJson("/api/v1/session", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        assertThat(response.json().get("secondFactorRequired").asBoolean()).isTrue();
        return http;
    }

    static TestHttp.Response submit(TestHttp http, String code) {
        return http.postJson(MfaPaths.API_CHALLENGE, "{\"code\":\"" + code + "\"}");
    }

    String now(Enrolled e) {
        return TestTotp.code(e.secret(), server.clock.instant());
    }

    static void useCsrf(TestHttp http, TestHttp.Response loggedIn) {
        http.setHeader("X-CSRF-Token", loggedIn.json().get("csrfToken").asText());
    }

    long mailsWithSubject(String email, String subject) {
        return server.mail.all().stream().filter(m -> m.to().equalsIgnoreCase(email) && m.subject().equals(subject)).count();
    }

    void awaitMail(String email, String subject) {
        long deadline = System.nanoTime() + MAIL_WAIT.toNanos();
        while (mailsWithSubject(email, subject) == 0) {
            if (System.nanoTime() > deadline) throw new AssertionError("no mail '" + subject + "' to " + email + "; got " + server.mail.all());
            try {
                Thread.sleep(20);
            } catch (InterruptedException ex) {
                throw new IllegalStateException(ex);
            }
        }
    }

    // ---- enrollment ----

    @Test
    void enrollWhenStartedThenTheUriIsAnOtpauthTotpUriWithTheSecretIssuerAndDefaults() {
        String email = newEmail("uri");
        server.registerVerified(email, PASSWORD);
        TestHttp http = server.apiLogin(email, PASSWORD);
        JsonNode setup = http.postJson(MfaPaths.API_TOTP, "{}").json();
        String secret = setup.get("secret").asText();
        assertThat(secret).matches("[A-Z2-7]{32}");
        assertThat(setup.get("uri").asText()).startsWith("otpauth://totp/Doorman:" + email.replace("@", "%40") + "?secret=" + secret)
                .contains("issuer=Doorman", "algorithm=SHA1", "digits=6", "period=30");
    }

    @Test
    void enrollWhenConfirmedWithAWrongCodeThen400AndLoginStillNeedsOnlyThePassword() {
        String email = newEmail("wrong-enroll");
        server.registerVerified(email, PASSWORD);
        TestHttp http = server.apiLogin(email, PASSWORD);
        String secret = http.postJson(MfaPaths.API_TOTP, "{}").json().get("secret").asText();
        String wrong = TestTotp.code(secret, server.clock.instant().minusSeconds(300));
        var confirm = http.postJson(MfaPaths.API_TOTP_CONFIRM, "{\"code\":\"" + wrong + "\"}");
        assertThat(confirm.status()).isEqualTo(400);
        assertThat(confirm.json().get("code").asText()).isEqualTo("mfa.invalid_code");
        assertThat(http.get(MfaPaths.API_FACTORS).json().get("totp").asBoolean()).isFalse();
        server.apiLogin(email, PASSWORD);   // 200: no second factor yet
    }

    @Test
    void enrollWhenConfirmedThenTenRecoveryCodesTheOwnerIsToldAndTheSecretIsStoredOnlyEncrypted() {
        Enrolled e = enrolled("enroll");
        assertThat(e.recoveryCodes()).hasSize(10).doesNotHaveDuplicates();
        JsonNode factors = e.http().get(MfaPaths.API_FACTORS).json();
        assertThat(factors.get("totp").asBoolean()).isTrue();
        assertThat(factors.get("recoveryCodes").asInt()).isEqualTo(10);
        awaitMail(e.email(), "Two-factor authentication was turned on");
        String stored = server.database.jdbi().withHandle(h -> h.createQuery(
                "select t.secret_sealed from mfa_totp t join users u on u.id = t.user_id where u.email = :e").bind("e", e.email())
                .mapTo(String.class).one());
        assertThat(stored).doesNotContain(e.secret()).doesNotContain(e.secret().toLowerCase());
        assertThat(new String(java.util.Base64.getDecoder().decode(stored.substring(stored.indexOf(':') + 1)),
                java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(new String(TestTotp.decode(e.secret()), java.nio.charset.StandardCharsets.ISO_8859_1));
        List<String> hashes = server.database.jdbi().withHandle(h -> h.createQuery(
                "select r.code_hash from mfa_recovery_codes r join users u on u.id = r.user_id where u.email = :e").bind("e", e.email())
                .mapTo(String.class).list());
        assertThat(hashes).hasSize(10).allSatisfy(hash -> assertThat(hash).matches("[0-9a-f]{64}"));
        assertThat(hashes).noneMatch(hash -> e.recoveryCodes().stream().anyMatch(c -> hash.contains(c.replace("-", ""))));
    }

    @Test
    void enrollWhenConfirmedThenTheEnrollingSessionHasNotPassedASecondFactorAndStepsUpWithALaterCode() {
        String email = newEmail("no-elevation");
        server.registerVerified(email, PASSWORD);
        TestHttp http = server.apiLogin(email, PASSWORD);
        String cookie = http.cookies().get(server.sessionCookieName());
        String secret = http.postJson(MfaPaths.API_TOTP, "{}").json().get("secret").asText();
        String enrollmentCode = TestTotp.code(secret, server.clock.instant());
        assertThat(http.postJson(MfaPaths.API_TOTP_CONFIRM, "{\"code\":\"" + enrollmentCode + "\"}").status()).isEqualTo(200);

        // The same session, the same proof as before: the password alone, no second-factor time.
        assertThat(http.cookies().get(server.sessionCookieName())).isEqualTo(cookie);
        assertThat(sessionProof(email)).isEqualTo(new SessionProof("pwd", null));
        var refused = http.postJson(MfaPaths.API_RECOVERY_CODES, "{}");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("code").asText()).isEqualTo("mfa.reauthentication_required");
        assertThat(http.postJson(MfaPaths.API_STEP_UP, "{\"code\":\"" + enrollmentCode + "\"}").status()).isEqualTo(401);

        server.clock.advance(Duration.ofSeconds(30));
        var stepUp = http.postJson(MfaPaths.API_STEP_UP, "{\"code\":\"" + TestTotp.code(secret, server.clock.instant()) + "\"}");
        assertThat(stepUp.status()).as(stepUp.body()).isEqualTo(200);
        useCsrf(http, stepUp);
        assertThat(sessionProof(email)).isEqualTo(new SessionProof("pwd otp mfa", server.clock.millis()));
        assertThat(http.postJson(MfaPaths.API_RECOVERY_CODES, "{}").status()).isEqualTo(200);
    }

    @Test
    void enrollWhenTheLoginGrewOlderThanTenMinutesBeforeTheConfirmationThen401AndNoFactor() {
        String email = newEmail("enroll-stale");
        server.registerVerified(email, PASSWORD);
        TestHttp http = server.apiLogin(email, PASSWORD);
        String secret = http.postJson(MfaPaths.API_TOTP, "{}").json().get("secret").asText();
        server.clock.advance(Duration.ofMinutes(11));
        var refused = http.postJson(MfaPaths.API_TOTP_CONFIRM, "{\"code\":\"" + TestTotp.code(secret, server.clock.instant()) + "\"}");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("code").asText()).isEqualTo("mfa.reauthentication_required");
        assertThat(http.get(MfaPaths.API_FACTORS).json().get("totp").asBoolean()).isFalse();
    }

    // ---- the login's second step ----

    @Test
    void loginWhenAccountHasTotpThenPasswordAloneGivesNoSessionAndTheCurrentCodeCompletesIt() {
        Enrolled e = enrolled("login");
        TestHttp http = passwordStep(e.email());
        assertThat(http.cookies()).doesNotContainKey(server.sessionCookieName());
        assertThat(http.get("/api/v1/me").status()).isEqualTo(401);
        assertThat(http.get("/account").location()).hasValueSatisfying(l -> assertThat(l).startsWith("/login"));
        var done = submit(http, now(e));
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(http.cookies()).containsKey(server.sessionCookieName());
        assertThat(http.get("/api/v1/me").status()).isEqualTo(200);
    }

    @Test
    void loginWhenTheSameCodeIsUsedAgainInTheSameWindowThenRefusedAsAReplay() {
        Enrolled e = enrolled("replay");
        String code = now(e);
        assertThat(submit(passwordStep(e.email()), code).status()).isEqualTo(200);
        TestHttp second = passwordStep(e.email());
        var replay = submit(second, code);
        assertThat(replay.status()).isEqualTo(401);
        assertThat(replay.json().get("code").asText()).isEqualTo("mfa.invalid_code");
        assertThat(second.get("/api/v1/me").status()).isEqualTo(401);
        // An older code of the window is a replay too, once a newer one was used.
        server.clock.advance(Duration.ofSeconds(30));
        assertThat(submit(second, now(e)).status()).isEqualTo(200);
        assertThat(submit(passwordStep(e.email()), code).status()).isEqualTo(401);
    }

    @Test
    void loginWhenCodeIsFromOneStepAgoThenAcceptedButFrom90SecondsAgoRefused() {
        Enrolled e = enrolled("window");
        server.clock.advance(Duration.ofSeconds(120));
        TestHttp http = passwordStep(e.email());
        assertThat(submit(http, TestTotp.code(e.secret(), server.clock.instant().minusSeconds(90))).status()).isEqualTo(401);
        assertThat(submit(http, TestTotp.code(e.secret(), server.clock.instant().minusSeconds(30))).status()).isEqualTo(200);
    }

    @Test
    void loginWhenFiveWrongCodesThenTheChallengeDiesTheRightCodeNoLongerHelpsAndTheOwnerIsTold() {
        Enrolled e = enrolled("five");
        TestHttp http = passwordStep(e.email());
        for (int i = 1; i <= 4; i++) {
            var wrong = submit(http, "000000".equals(now(e)) ? "111111" : "000000");
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(wrong.json().get("code").asText()).isEqualTo("mfa.invalid_code");
        }
        var fifth = submit(http, "not a code");
        assertThat(fifth.json().get("code").asText()).isEqualTo("mfa.challenge_expired");
        var right = submit(http, now(e));
        assertThat(right.status()).isEqualTo(401);
        assertThat(right.json().get("code").asText()).isEqualTo("mfa.challenge_expired");
        assertThat(http.get("/api/v1/me").status()).isEqualTo(401);
        awaitMail(e.email(), "A login to your account failed at the second factor");
        assertThat(submit(passwordStep(e.email()), now(e)).status()).isEqualTo(200);
    }

    @Test
    void loginWhenTwentyWrongCodesAcrossLoginsThenEveryCodeIsRefusedFor429UntilTheWindowPasses() {
        Enrolled e = enrolled("lock");
        String wrong = "000000".equals(now(e)) ? "111111" : "000000";
        for (int login = 0; login < 4; login++) {
            TestHttp http = passwordStep(e.email());
            for (int i = 0; i < 5; i++) submit(http, wrong);
        }
        TestHttp http = passwordStep(e.email());
        var locked = submit(http, now(e));
        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.json().get("code").asText()).isEqualTo("mfa.too_many_attempts");
        server.clock.advance(Duration.ofMinutes(61));
        assertThat(submit(passwordStep(e.email()), now(e)).status()).isEqualTo(200);
    }

    @Test
    void loginWhenAnotherUsersChallengeCookieIsSentWithMyCodeThenItChecksTheirFactorAndNobodyIsLoggedIn() {
        Enrolled victim = enrolled("victim");
        Enrolled attacker = enrolled("attacker");
        TestHttp attackerHttp = passwordStep(attacker.email());
        // The attacker knows the victim's current code but holds only their own challenge: it checks the attacker's factor.
        var swapped = submit(attackerHttp, now(victim));
        assertThat(swapped.status()).isEqualTo(401);
        assertThat(attackerHttp.get("/api/v1/me").status()).isEqualTo(401);
        // A forged challenge cookie is no challenge at all.
        TestHttp forged = server.client();
        forged.setCookie("doorman_mfa", "A".repeat(43));
        assertThat(submit(forged, now(victim)).json().get("code").asText()).isEqualTo("mfa.challenge_expired");
    }

    @Test
    void loginWhenThePasswordChangesBetweenTheStepsThenTheChallengeDies() {
        Enrolled e = enrolled("pwchange");
        TestHttp http = passwordStep(e.email());
        e.http().clearHeader("X-CSRF-Token");
        TestHttp owner = server.client();
        var login = owner.postJson("/api/v1/session", "{\"email\":\"" + e.email() + "\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(login.status()).isEqualTo(202);
        var full = submit(owner, now(e));
        useCsrf(owner, full);
        var changed = owner.postJson("/api/v1/me/password", "{\"currentPassword\":\"" + PASSWORD + "\",\"newPassword\":\"violet kettle under amber snow\"}");
        assertThat(changed.status()).as(changed.body()).isEqualTo(204);
        server.clock.advance(Duration.ofSeconds(30));
        assertThat(submit(http, now(e)).json().get("code").asText()).isEqualTo("mfa.challenge_expired");
    }

    @Test
    void loginWhenTheChallengeIsOlderThanFiveMinutesThenExpired() {
        Enrolled e = enrolled("ttl");
        TestHttp http = passwordStep(e.email());
        server.clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        assertThat(submit(http, now(e)).json().get("code").asText()).isEqualTo("mfa.challenge_expired");
    }

    @Test
    void auditWhenEnrollingAndLoggingInWithAWrongThenARightCodeThenEveryStepIsRecordedForTheUser() {
        Enrolled e = enrolled("audit");
        TestHttp http = passwordStep(e.email());
        submit(http, "000000".equals(now(e)) ? "111111" : "000000");
        submit(http, now(e));
        var types = server.doorman.auditTrail().forUser(userId(e.email()), 50).stream().map(a -> a.type().wireName() + ":" + a.outcome()).toList();
        assertThat(types).contains("mfa_enrolled:SUCCESS", "mfa_challenged:SUCCESS", "mfa_failed:FAILURE", "mfa_succeeded:SUCCESS",
                "login_succeeded:SUCCESS");
    }

    // ---- recovery codes ----

    @Test
    void loginWhenARecoveryCodeIsUsedThenItWorksOnceTheOwnerIsToldAndNineAreLeft() {
        Enrolled e = enrolled("recovery");
        String code = e.recoveryCodes().get(3).toUpperCase().replace("-", " ");
        TestHttp http = passwordStep(e.email());
        var done = submit(http, code);
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        useCsrf(http, done);
        assertThat(http.get(MfaPaths.API_FACTORS).json().get("recoveryCodes").asInt()).isEqualTo(9);
        awaitMail(e.email(), "A recovery code was used");
        var again = submit(passwordStep(e.email()), code);
        assertThat(again.status()).isEqualTo(401);
        assertThat(server.doorman.auditTrail()).isNotNull();
    }

    @Test
    void regenerateWhenTheLastProofIsOlderThanTenMinutesThen401UntilStepUpThenOldCodesDieAndTheOwnerIsTold() {
        Enrolled e = enrolled("regen");
        TestHttp http = passwordStep(e.email());
        var done = submit(http, now(e));
        useCsrf(http, done);
        server.clock.advance(Duration.ofMinutes(11));
        var refused = http.postJson(MfaPaths.API_RECOVERY_CODES, "{}");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("code").asText()).isEqualTo("mfa.reauthentication_required");
        String cookieBefore = http.cookies().get(server.sessionCookieName());
        var stepUp = http.postJson(MfaPaths.API_STEP_UP, "{\"code\":\"" + now(e) + "\"}");
        assertThat(stepUp.status()).as(stepUp.body()).isEqualTo(200);
        assertThat(http.cookies().get(server.sessionCookieName())).isNotEqualTo(cookieBefore);
        TestHttp stale = server.client();
        stale.setCookie(server.sessionCookieName(), cookieBefore);
        assertThat(stale.get("/api/v1/me").status()).isEqualTo(401);
        var regenerated = http.postJson(MfaPaths.API_RECOVERY_CODES, "{}");
        assertThat(regenerated.status()).as(regenerated.body()).isEqualTo(200);
        assertThat(regenerated.json().get("recoveryCodes")).hasSize(10);
        awaitMail(e.email(), "New recovery codes were made");
        assertThat(submit(passwordStep(e.email()), e.recoveryCodes().getFirst()).status()).isEqualTo(401);
        assertThat(submit(passwordStep(e.email()), regenerated.json().get("recoveryCodes").get(0).asText()).status()).isEqualTo(200);
    }

    // ---- removing the factor (SE-09) ----

    @Test
    void removeWhenRecentThenFactorAndCodesGoOtherSessionsDieTheOwnerIsToldAndLoginNeedsOnlyThePassword() {
        Enrolled e = enrolled("remove");
        TestHttp other = passwordStep(e.email());
        useCsrf(other, submit(other, now(e)));
        server.clock.advance(Duration.ofSeconds(30));
        TestHttp http = passwordStep(e.email());
        useCsrf(http, submit(http, now(e)));
        assertThat(http.deleteJson(MfaPaths.API_TOTP).status()).isEqualTo(204);
        assertThat(other.get("/api/v1/me").status()).isEqualTo(401);
        assertThat(http.get("/api/v1/me").status()).isEqualTo(200);
        JsonNode factors = http.get(MfaPaths.API_FACTORS).json();
        assertThat(factors.get("totp").asBoolean()).isFalse();
        assertThat(factors.get("recoveryCodes").asInt()).isZero();
        awaitMail(e.email(), "A second factor was removed from your account");
        server.apiLogin(e.email(), PASSWORD);
    }

    @Test
    void removeWhenTheSecondFactorIsOlderThanTenMinutesThen401AndNothingChanges() {
        Enrolled e = enrolled("remove-old");
        TestHttp http = passwordStep(e.email());
        useCsrf(http, submit(http, now(e)));
        server.clock.advance(Duration.ofMinutes(11));
        var refused = http.deleteJson(MfaPaths.API_TOTP);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("code").asText()).isEqualTo("mfa.reauthentication_required");
        assertThat(http.get(MfaPaths.API_FACTORS).json().get("totp").asBoolean()).isTrue();
        var wrongStepUp = http.postJson(MfaPaths.API_STEP_UP, "{\"code\":\"" + ("000000".equals(now(e)) ? "111111" : "000000") + "\"}");
        assertThat(wrongStepUp.status()).isEqualTo(401);
        assertThat(http.deleteJson(MfaPaths.API_TOTP).status()).isEqualTo(401);
    }

    @Test
    void enrollWhenTheLoginIsOlderThanTenMinutesThen401UntilThePasswordIsEnteredAgain() {
        String email = newEmail("enroll-old");
        server.registerVerified(email, PASSWORD);
        TestHttp http = server.apiLogin(email, PASSWORD);
        server.clock.advance(Duration.ofMinutes(11));
        assertThat(http.postJson(MfaPaths.API_TOTP, "{}").status()).isEqualTo(401);
        assertThat(http.postJson(MfaPaths.API_STEP_UP, "{\"password\":\"wrong password entirely\"}").status()).isEqualTo(401);
        assertThat(http.postJson(MfaPaths.API_STEP_UP, "{\"password\":\"" + PASSWORD + "\"}").status()).isEqualTo(200);
        assertThat(http.postJson(MfaPaths.API_TOTP, "{}").status()).isEqualTo(200);
    }

    // ---- password reset (PR-07) ----

    @Test
    void resetWhenTheAccountHasTotpThenNoSessionIsStartedAndTheNextLoginStillAsksForTheCode() {
        Enrolled e = enrolled("reset");
        TestHttp http = server.client();
        assertThat(http.postJson("/api/v1/password-reset", "{\"email\":\"" + e.email() + "\"}").status()).isEqualTo(202);
        String token = server.tokenFromMail(e.email(), "/reset-password");
        var confirmed = http.postJson("/api/v1/password-reset/confirm", "{\"token\":\"" + token + "\",\"password\":\"violet kettle under amber snow\"}");
        assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(204);
        assertThat(http.cookies()).doesNotContainKey(server.sessionCookieName());
        var login = http.postJson("/api/v1/session", "{\"email\":\"" + e.email() + "\",\"password\":\"violet kettle under amber snow\"}");
        assertThat(login.status()).isEqualTo(202);
        assertThat(http.get("/api/v1/me").status()).isEqualTo(401);
        assertThat(submit(http, now(e)).status()).isEqualTo(200);
    }

    @Test
    void purgeWhenChallengesAndPendingSecretsHaveExpiredThenTheirRowsGoAndLiveOnesStay() {
        Enrolled e = enrolled("purge");
        passwordStep(e.email());
        e.http().postJson(PasskeyEndpoint.API_OPTIONS, "{\"purpose\":\"step_up\"}");
        var purge = new MfaPurge(server.database.jdbi(), server.clock, MfaSettings.defaults());
        server.clock.advance(Duration.ofMinutes(1));
        purge.purgeExpired();
        assertThat(count("mfa_challenges", e.email())).isEqualTo(1);
        server.clock.advance(Duration.ofMinutes(16));
        var purged = purge.purgeExpired();
        assertThat(purged.challenges()).isPositive();
        assertThat(purged.ceremonies()).isPositive();
        assertThat(count("mfa_challenges", e.email())).isZero();
    }

    private int count(String table, String email) {
        return server.database.jdbi().withHandle(h -> h.createQuery("select count(*) from " + table + " t join users u on u.id = t.user_id "
                + "where u.email = :e").bind("e", email).mapTo(Integer.class).one());
    }

    /** What the user's one session has proved: its amr and when it last passed a second factor (epoch ms, or null). */
    record SessionProof(String amr, Long secondFactorAt) { }

    SessionProof sessionProof(String email) {
        return server.database.jdbi().withHandle(h -> h.createQuery("select s.amr, s.second_factor_at from sessions s join users u on u.id = s.user_id "
                        + "where u.email = :e")
                .bind("e", email)
                .map((rs, ctx) -> new SessionProof(rs.getString("amr"), rs.getObject("second_factor_at") == null ? null : rs.getLong("second_factor_at")))
                .one());
    }

    UserId userId(String email) {
        return server.doorman.users().findByEmail(dev.doorman.account.Email.parse(email).orElseThrow()).orElseThrow().id();
    }
}
