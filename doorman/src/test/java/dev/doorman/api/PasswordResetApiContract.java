package dev.doorman.api;

import dev.doorman.testkit.TestHttp;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.doorman.api.ApiAssertions.assertProblem;
import static dev.doorman.api.ApiAssertions.headersExceptDate;
import static org.assertj.core.api.Assertions.assertThat;

/** Forgotten passwords over the API: EN-03 and PR-01 to PR-08. */
abstract class PasswordResetApiContract extends ApiContract {
    private static final String CHANGED = "Your password was changed";

    @Test
    void requestWhenAccountExistsOrNotThenIdentical202AndOnlyTheExistingOneGetsMail() {
        String unknown = fresh("reset-unknown");
        String existing = registerVerified("reset-existing");

        TestHttp.Response forUnknown = request(unknown);
        TestHttp.Response forExisting = request(existing);

        assertThat(forUnknown.status()).isEqualTo(202);
        assertThat(forExisting.status()).isEqualTo(202);
        assertThat(forExisting.body()).isEqualTo(forUnknown.body());
        assertThat(headersExceptDate(forExisting)).isEqualTo(headersExceptDate(forUnknown));
        awaitNewToken(existing, RESET_LINK);
        graceForStrayMail();
        assertThat(mailsTo(unknown)).isEmpty();
    }

    @Test
    void requestWhenMadeThenNothingChangesAndTheOldPasswordStillWorks() {
        String email = registerVerified("reset-nochange");
        String cookie = sessionCookie(loggedIn(email));

        assertThat(request(email).status()).isEqualTo(202);
        awaitNewToken(email, RESET_LINK);

        assertThat(login(email, PASSWORD).status()).isEqualTo(200);
        assertThat(alive(cookie)).isTrue();
    }

    @Test
    void requestWhenRepeatedThenEveryTokenIs43Base64UrlCharactersAndUnique() {
        String email = registerVerified("reset-tokens");
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            assertThat(request(email).status()).isEqualTo(202);
            tokens.add(awaitNewToken(email, RESET_LINK, tokens));
        }

        assertThat(tokens).doesNotHaveDuplicates().hasSize(5)
                .allSatisfy(t -> assertThat(t).matches("[A-Za-z0-9_-]{43}"))
                .allSatisfy(t -> assertThat(Base64.getUrlDecoder().decode(t)).hasSize(32));
        // Only the newest is alive (PR-02).
        for (String older : tokens.subList(0, 4)) assertProblem(confirm(older, NEW_PASSWORD), 400, "recovery.invalid_token");
        assertThat(confirm(tokens.getLast(), NEW_PASSWORD).status()).isEqualTo(204);
    }

    @Test
    void confirmWhenANewerLinkWasRequestedThenTheOlderIs400AndTheNewerWorks() {
        String email = registerVerified("reset-newer");
        assertThat(request(email).status()).isEqualTo(202);
        String older = awaitNewToken(email, RESET_LINK);
        assertThat(request(email).status()).isEqualTo(202);
        String newer = awaitNewToken(email, RESET_LINK, List.of(older));

        assertProblem(confirm(older, NEW_PASSWORD), 400, "recovery.invalid_token");
        assertThat(login(email, PASSWORD).status()).as("the refused link changed nothing").isEqualTo(200);

        assertThat(confirm(newer, NEW_PASSWORD).status()).isEqualTo(204);
        assertThat(login(email, NEW_PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void confirmWhenTheTokenIsUsedTwiceThenTheSecondIs400AndThePasswordIsTheFirstOne() {
        String email = registerVerified("reset-reuse");
        String token = requestToken(email);

        assertThat(confirm(token, NEW_PASSWORD).status()).isEqualTo(204);
        assertProblem(confirm(token, "third lovely autumn garden"), 400, "recovery.invalid_token");

        assertThat(login(email, NEW_PASSWORD).status()).isEqualTo(200);
        assertProblem(login(email, "third lovely autumn garden"), 401, "login.invalid_credentials");
    }

    @Test
    void confirmWhenTenClientsUseOneTokenAtOnceThenExactlyOneSucceeds() throws Exception {
        String email = registerVerified("reset-race");
        String token = requestToken(email);
        int clients = 10;
        var start = new CountDownLatch(1);
        List<Future<TestHttp.Response>> results = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                String password = "racing password number " + (char) ('a' + i) + " of ten";
                TestHttp http = server.client();
                results.add(pool.submit(() -> {
                    start.await();
                    return confirm(http, token, password);
                }));
            }
            start.countDown();
        }

        List<TestHttp.Response> responses = new ArrayList<>();
        for (Future<TestHttp.Response> result : results) responses.add(result.get());
        assertThat(responses).filteredOn(r -> r.status() == 204).hasSize(1);
        assertThat(responses).filteredOn(r -> r.status() != 204).hasSize(clients - 1)
                .allSatisfy(r -> assertProblem(r, 400, "recovery.invalid_token"));
        assertProblem(login(email, PASSWORD), 401, "login.invalid_credentials");
    }

    @Test
    void confirmWhenTheTokenIsOlderThan30MinutesThen400ExpiredTokenAndThePasswordIsUnchanged() {
        String email = registerVerified("reset-expired");
        String inTime = registerVerified("reset-intime");
        String token = requestToken(email);
        String inTimeToken = requestToken(inTime);

        server.clock.advance(Duration.ofMinutes(29));
        assertThat(confirm(inTimeToken, NEW_PASSWORD).status()).as("29 minutes after the request").isEqualTo(204);
        server.clock.advance(Duration.ofMinutes(2));

        assertProblem(confirm(token, NEW_PASSWORD), 400, "recovery.expired_token");
        assertThat(login(email, PASSWORD).status()).isEqualTo(200);
        assertProblem(login(email, NEW_PASSWORD), 401, "login.invalid_credentials");
    }

    @Test
    void confirmWhenThePasswordBreaksThePolicyThen400WithTheRuleAndTheTokenStillWorksWithAGoodOne() {
        String email = registerVerified("reset-weak");
        String token = requestToken(email);

        assertProblem(confirm(token, "quiet lamp ore"), 400, "password.too_short");
        assertProblem(confirm(token, "passwordpassword"), 400, "password.common");
        String local = email.substring(0, email.indexOf('@'));
        assertProblem(confirm(token, local + " walks in the rain"), 400, "password.contains_email");
        assertThat(login(email, PASSWORD).status()).as("nothing changed yet").isEqualTo(200);

        assertThat(confirm(token, NEW_PASSWORD).status()).isEqualTo(204);
        assertThat(login(email, NEW_PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void confirmWhenDoneThenEverySessionIsDeadNoSessionIsStartedTheOwnerIsToldAndTheNewPasswordWorks() {
        String email = registerVerified("reset-done");
        List<String> cookies = List.of(sessionCookie(loggedIn(email)), sessionCookie(loggedIn(email)));
        String token = requestToken(email);
        TestHttp resetter = server.client();

        TestHttp.Response confirmed = confirm(resetter, token, NEW_PASSWORD);

        assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(204);
        assertThat(confirmed.setCookies()).noneMatch(c -> c.startsWith(server.sessionCookieName() + "="));
        assertThat(resetter.cookies()).doesNotContainKey(server.sessionCookieName());
        assertProblem(resetter.get(ME), 401, "auth.unauthenticated");
        assertThat(cookies).noneMatch(this::alive);
        assertThat(awaitMail(email, CHANGED).text()).doesNotContain(NEW_PASSWORD);
        assertProblem(login(email, PASSWORD), 401, "login.invalid_credentials");
        assertThat(login(email, NEW_PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void confirmWhenAnAttackerKeepsLoggingInWithTheOldPasswordMeanwhileThenNoneOfTheirSessionsSurvives() throws Exception {
        String email = registerVerified("reset-race-login");
        String token = requestToken(email);
        List<String> stolen = attackWithOldPasswordWhile(email, () -> assertThat(confirm(token, NEW_PASSWORD).status()).isEqualTo(204));

        assertThat(stolen).as("sessions the attacker obtained with the old password").isNotEmpty();
        assertThat(stolen).as("attacker sessions still alive after the reset").noneMatch(this::alive);
    }

    @Test
    void confirmWhenDoneFromALoggedInClientThenThatSessionIsDeadToo() {
        String email = registerVerified("reset-fromsession");
        TestHttp http = loggedIn(email);
        String cookie = sessionCookie(http);
        String token = requestToken(email);

        assertThat(confirm(http, token, NEW_PASSWORD).status()).isEqualTo(204);

        assertThat(alive(cookie)).isFalse();
    }

    @Test
    void confirmWhenAccountWasNeverVerifiedThenTheResetAlsoVerifiesItBecauseTheLinkProvesTheMailbox() {
        String email = fresh("reset-unverified");
        assertThat(register(email, PASSWORD).status()).isEqualTo(202);
        assertProblem(login(email, PASSWORD), 401, "login.email_not_verified");
        String token = requestToken(email);

        assertThat(confirm(token, NEW_PASSWORD).status()).isEqualTo(204);

        TestHttp.Response login = login(email, NEW_PASSWORD);
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
    }

    @Test
    void requestWhenAccountIsDisabledThen202AndNoLink() {
        String email = registerVerified("reset-disabled");
        disable(email);
        String witness = registerVerified("reset-witness");

        assertThat(request(email).status()).isEqualTo(202);
        assertThat(request(witness).status()).isEqualTo(202);

        awaitNewToken(witness, RESET_LINK);
        graceForStrayMail();
        assertThat(tokensMailedTo(email, RESET_LINK)).isEmpty();
    }

    @Test
    void confirmWhenTokenIsMalformedOrForgedThen400InvalidToken() {
        assertProblem(confirm("", NEW_PASSWORD), 400, "recovery.invalid_token");
        assertProblem(confirm("short", NEW_PASSWORD), 400, "recovery.invalid_token");
        assertProblem(confirm("A".repeat(43), NEW_PASSWORD), 400, "recovery.invalid_token");
        assertProblem(confirm("A".repeat(42) + "=", NEW_PASSWORD), 400, "recovery.invalid_token");
        assertProblem(server.client().postJson(RESET_CONFIRM, "{\"token\": 7, \"password\": \"" + NEW_PASSWORD + "\"}"), 400,
                "request.wrong_type");
        assertProblem(server.client().postJson(RESET, json("email", "nobody")), 400, "account.invalid_email");
    }

    private TestHttp.Response request(String email) {
        return server.client().postJson(RESET, json("email", email));
    }

    private String requestToken(String email) {
        List<String> known = tokensMailedTo(email, RESET_LINK);
        assertThat(request(email).status()).isEqualTo(202);
        return awaitNewToken(email, RESET_LINK, known);
    }

    private TestHttp.Response confirm(String token, String password) {
        return confirm(server.client(), token, password);
    }

    private static TestHttp.Response confirm(TestHttp http, String token, String password) {
        return http.postJson(RESET_CONFIRM, json("token", token, "password", password));
    }
}
