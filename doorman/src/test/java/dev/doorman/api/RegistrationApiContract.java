package dev.doorman.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.doorman.testkit.TestHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.doorman.api.ApiAssertions.assertProblem;
import static dev.doorman.api.ApiAssertions.headersExceptDate;
import static org.assertj.core.api.Assertions.assertThat;

/** POST /api/v1/accounts: EN-04 (no enumeration), address normalisation, validation, PW-08 (no hint fields). */
abstract class RegistrationApiContract extends ApiContract {

    @Test
    void registerWhenAddressIsNewOrTakenThenBothAnswersAreIdentical202() {
        String taken = registerVerified("reg-taken");
        String brandNew = fresh("reg-new");

        TestHttp.Response forTaken = register(taken, "another kettle of pale fish");
        TestHttp.Response forNew = register(brandNew, "another kettle of pale fish");

        assertThat(forTaken.status()).as(forTaken.toString()).isEqualTo(202);
        assertThat(forNew.status()).as(forNew.toString()).isEqualTo(202);
        assertThat(forTaken.body()).isEqualTo(forNew.body());
        assertThat(headersExceptDate(forTaken)).isEqualTo(headersExceptDate(forNew));
        assertThat(forTaken.setCookies()).isEmpty();
    }

    @Test
    void registerWhenAddressIsTakenThenOwnerIsToldAndNewAddressGetsAVerificationLink() {
        String taken = registerVerified("reg-owner");
        String brandNew = fresh("reg-newcomer");

        assertThat(register(taken, "another kettle of pale fish").status()).isEqualTo(202);
        assertThat(register(brandNew, "another kettle of pale fish").status()).isEqualTo(202);

        assertThat(awaitMail(taken, "Someone tried to register with your address").text()).doesNotContain(VERIFY_LINK);
        assertThat(awaitNewToken(brandNew, VERIFY_LINK)).hasSize(43);
        graceForStrayMail();
        assertThat(mailsTo(brandNew)).extracting(m -> m.subject()).containsExactly("Confirm your e-mail address");
        // The owner got the notice, and no second verification link.
        assertThat(tokensMailedTo(taken, VERIFY_LINK)).hasSize(1);
    }

    @Test
    void registerWhenOneNewAddressIsRegisteredFiveTimesAtOnceThenAll202AndExactlyOneAccountWithOneLink() throws Exception {
        String email = fresh("reg-race");
        var start = new CountDownLatch(1);
        List<Future<TestHttp.Response>> results = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 5; i++) {
                String password = "racing kettle number " + (char) ('a' + i) + " of five";
                results.add(pool.submit(() -> {
                    start.await();
                    return register(email, password);
                }));
            }
            start.countDown();
        }
        List<String> bodies = new ArrayList<>();
        for (Future<TestHttp.Response> result : results) {
            assertThat(result.get().status()).as(result.get().toString()).isEqualTo(202);
            bodies.add(result.get().body());
        }
        assertThat(bodies).containsOnly(bodies.getFirst());

        String token = awaitNewToken(email, VERIFY_LINK);
        awaitMails(email, 5);
        assertThat(tokensMailedTo(email, VERIFY_LINK)).containsExactly(token);
        assertThat(mailsTo(email)).filteredOn(m -> m.subject().equals("Someone tried to register with your address")).hasSize(4);
        assertThat(server.client().postJson(VERIFY, json("token", token)).status()).isEqualTo(204);
        long working = 0;
        for (int i = 0; i < 5; i++) if (login(email, "racing kettle number " + (char) ('a' + i) + " of five").status() == 200) working++;
        assertThat(working).as("passwords that log in").isEqualTo(1);
    }

    @Test
    void registerWhenAddressIsTakenThenTheIntrudersPasswordDoesNotReplaceTheOwners() {
        String taken = registerVerified("reg-intruded");

        assertThat(register(taken, "another kettle of pale fish").status()).isEqualTo(202);

        assertProblem(login(taken, "another kettle of pale fish"), 401, "login.invalid_credentials");
        assertThat(login(taken, PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void registerWhenAddressHasSpacesAndCapitalsThenItIsTrimmedAndCaseFolded() {
        TestHttp.Response registered = register("  Bob@Example.ORG ", PASSWORD);
        assertThat(registered.status()).as(registered.toString()).isEqualTo(202);

        String token = awaitNewToken("bob@example.org", VERIFY_LINK);
        assertThat(mailsTo("bob@example.org")).extracting(m -> m.to()).containsOnly("bob@example.org");
        assertThat(server.client().postJson(VERIFY, json("token", token)).status()).isEqualTo(204);

        TestHttp http = loggedIn("bob@example.org");
        assertThat(http.get(ME).json().path("email").asText()).isEqualTo("bob@example.org");
        assertThat(login("BOB@EXAMPLE.ORG  ", PASSWORD).status()).isEqualTo(200);

        // Same account, other spelling: the owner hears about it, no second account is made.
        assertThat(register("BOB@example.org", "another kettle of pale fish").status()).isEqualTo(202);
        awaitMail("bob@example.org", "Someone tried to register with your address");
        assertProblem(login("bob@example.org", "another kettle of pale fish"), 401, "login.invalid_credentials");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "not-an-address", "a@b", "@example.org", "alice@", "al ice@example.org", "alice@exam ple.org",
            "alice@@example.org", "alice@example..org", "alice@-example.org", "<alice@example.org>", "alice@example.org\nbcc@example.org"})
    void registerWhenEmailIsInvalidThen400InvalidEmail(String email) {
        assertProblem(register(email, PASSWORD), 400, "account.invalid_email");
    }

    @Test
    void registerWhenEmailIsLongerThanRfc5321AllowsThen400InvalidEmail() {
        String local = "a".repeat(65);
        assertProblem(register(local + "@example.org", PASSWORD), 400, "account.invalid_email");
        assertProblem(register("a@" + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(63) + "." + "e".repeat(60) + ".org",
                PASSWORD), 400, "account.invalid_email");
    }

    @Test
    void registerWhenBodyHasAHintFieldThen400AndNoAccountIsCreated() {
        String email = fresh("reg-hint");

        JsonNode problem = assertProblem(server.client().postJson(ACCOUNTS,
                json("email", email, "password", PASSWORD, "hint", "the usual one")), 400, "request.unknown_field");
        assertThat(problem.path("detail").asText()).contains("hint");
        assertProblem(server.client().postJson(ACCOUNTS,
                json("email", email, "password", PASSWORD, "securityQuestion", "first pet", "securityAnswer", "rex")), 400, "request.unknown_field");

        assertAddressIsStillFree(email);
    }

    @Test
    void registerWhenNameIsTooLongThen400AndNoAccountIsCreated() {
        String email = fresh("reg-longname");

        assertProblem(server.client().postJson(ACCOUNTS, json("email", email, "password", PASSWORD, "name", "n".repeat(201))),
                400, "account.invalid_name");
        assertProblem(server.client().postJson(ACCOUNTS, json("email", email, "password", PASSWORD, "name", "Eve\u0000Admin")),
                400, "account.invalid_name");

        assertAddressIsStillFree(email);
    }

    @Test
    void registerWhenNameIsGivenThenItIsTrimmedAndShownOnMe() {
        String email = fresh("reg-named");
        String name = "Zoë " + "q".repeat(196);   // 200 characters: the maximum
        assertThat(server.client().postJson(ACCOUNTS, json("email", email, "password", PASSWORD, "name", "  " + name + " ")).status())
                .isEqualTo(202);
        assertThat(server.client().postJson(VERIFY, json("token", awaitNewToken(email, VERIFY_LINK))).status()).isEqualTo(204);

        JsonNode me = loggedIn(email).get(ME).json();

        assertThat(me.path("name").asText()).isEqualTo(name);
        assertThat(me.path("emailVerified").asBoolean()).isTrue();
        assertThat(me.has("hint")).isFalse();
        assertThat(me.has("passwordHash")).isFalse();
        assertThat(me.toString()).doesNotContain("argon2");
    }

    @Test
    void registerWhenAcceptedThenResponseSetsNoSessionAndAccountCannotLogInBeforeVerifying() {
        String email = fresh("reg-unverified");

        TestHttp.Response registered = register(email, PASSWORD);

        assertThat(registered.status()).isEqualTo(202);
        assertThat(registered.setCookies()).noneMatch(c -> c.startsWith(server.sessionCookieName() + "="));
        assertThat(registered.json().path("message").asText()).isNotBlank();
        assertProblem(login(email, PASSWORD), 401, "login.email_not_verified");
    }
}
