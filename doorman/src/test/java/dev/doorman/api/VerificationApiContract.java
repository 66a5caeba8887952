package dev.doorman.api;

import dev.doorman.testkit.TestHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static dev.doorman.api.ApiAssertions.assertProblem;
import static dev.doorman.api.ApiAssertions.headersExceptDate;
import static dev.doorman.api.ApiAssertions.setSessionCookie;
import static org.assertj.core.api.Assertions.assertThat;

/** E-mail verification over the API: single-use, expiring, tamper-proof links; resend without enumeration (EN-04). */
abstract class VerificationApiContract extends ApiContract {

    @Test
    void verifyWhenOneCharacterOfTheTokenIsChangedThen400InvalidTokenAndTheRealLinkStillWorks() {
        String email = registered("verify-tamper");
        String token = awaitNewToken(email, VERIFY_LINK);
        String tampered = token.substring(0, 20) + (token.charAt(20) == 'A' ? 'B' : 'A') + token.substring(21);

        assertProblem(verify(tampered), 400, "verification.invalid_token");
        assertProblem(login(email, PASSWORD), 401, "login.email_not_verified");

        assertThat(verify(token).status()).isEqualTo(204);
        assertThat(login(email, PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void verifyWhenTokenIsUsedTwiceThenSecondUseIs400InvalidToken() {
        String email = registered("verify-twice");
        String token = awaitNewToken(email, VERIFY_LINK);

        assertThat(verify(token).status()).isEqualTo(204);
        assertProblem(verify(token), 400, "verification.invalid_token");
        assertThat(login(email, PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void verifyWhenTokenIsOlderThan24HoursThen400ExpiredTokenAndAccountStaysUnverified() {
        String early = registered("verify-in-time");
        String late = registered("verify-too-late");
        String earlyToken = awaitNewToken(early, VERIFY_LINK);
        String lateToken = awaitNewToken(late, VERIFY_LINK);

        server.clock.advance(Duration.ofHours(23).plusMinutes(59));
        assertThat(verify(earlyToken).status()).as("just inside 24 h").isEqualTo(204);
        server.clock.advance(Duration.ofMinutes(2));

        assertProblem(verify(lateToken), 400, "verification.expired_token");
        assertProblem(login(late, PASSWORD), 401, "login.email_not_verified");
        // Expired is final: the link stays dead, a new one is the way out.
        assertThat(verify(lateToken).status()).isEqualTo(400);
        assertThat(server.client().postJson(VERIFY_RESEND, json("email", late)).status()).isEqualTo(202);
        assertThat(verify(awaitNewToken(late, VERIFY_LINK, List.of(lateToken))).status()).isEqualTo(204);
        assertThat(login(late, PASSWORD).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "x", "not a token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/",
            "' or 1=1 --AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\u00e9"})
    void verifyWhenTokenIsMalformedThen400InvalidToken(String token) {
        assertProblem(verify(token), 400, "verification.invalid_token");
    }

    @Test
    void verifyWhenTokenIsNotAStringOrMissingThen400WithoutSpendingAnything() {
        assertProblem(server.client().postJson(VERIFY, "{\"token\": 12345}"), 400, "request.wrong_type");
        assertProblem(server.client().postJson(VERIFY, "{\"token\": [\"a\"]}"), 400, "request.wrong_type");
        assertProblem(server.client().postJson(VERIFY, "{}"), 400, "request.missing_field");
        assertProblem(server.client().postJson(VERIFY, "{\"token\": null}"), 400, "request.missing_field");
    }

    @Test
    void verifyWhenGivenAPasswordResetTokenThen400InvalidTokenAndTheResetLinkStillWorks() {
        String email = registerVerified("verify-purpose");
        assertThat(server.client().postJson(RESET, json("email", email)).status()).isEqualTo(202);
        String resetToken = awaitNewToken(email, RESET_LINK);

        assertProblem(verify(resetToken), 400, "verification.invalid_token");

        assertThat(server.client().postJson(RESET_CONFIRM, json("token", resetToken, "password", NEW_PASSWORD)).status()).isEqualTo(204);
    }

    @Test
    void loginWhenEmailIsNotVerifiedThen401EmailNotVerifiedOnlyWithTheRightPasswordAndAfterVerifying200() {
        String email = registered("verify-login");

        assertProblem(login(email, PASSWORD), 401, "login.email_not_verified");
        assertProblem(login(email, NEW_PASSWORD), 401, "login.invalid_credentials");
        assertThat(setSessionCookie(login(email, PASSWORD), server.sessionCookieName())).isEmpty();

        assertThat(verify(awaitNewToken(email, VERIFY_LINK)).status()).isEqualTo(204);

        TestHttp.Response loggedIn = login(email, PASSWORD);
        assertThat(loggedIn.status()).isEqualTo(200);
        assertThat(loggedIn.json().path("csrfToken").asText()).isNotBlank();
    }

    @Test
    void resendWhenAddressIsUnknownVerifiedOrUnverifiedThenIdentical202AndOnlyTheUnverifiedGetsALink() {
        String unknown = fresh("resend-unknown");
        String verified = registerVerified("resend-verified");
        String unverified = registered("resend-unverified");
        String firstLink = awaitNewToken(unverified, VERIFY_LINK);

        TestHttp.Response forUnknown = server.client().postJson(VERIFY_RESEND, json("email", unknown));
        TestHttp.Response forVerified = server.client().postJson(VERIFY_RESEND, json("email", verified));
        TestHttp.Response forUnverified = server.client().postJson(VERIFY_RESEND, json("email", unverified));

        assertThat(forUnknown.status()).isEqualTo(202);
        assertThat(List.of(forVerified.status(), forUnverified.status())).containsOnly(202);
        assertThat(forVerified.body()).isEqualTo(forUnknown.body());
        assertThat(forUnverified.body()).isEqualTo(forUnknown.body());
        assertThat(headersExceptDate(forVerified)).isEqualTo(headersExceptDate(forUnknown));
        assertThat(headersExceptDate(forUnverified)).isEqualTo(headersExceptDate(forUnknown));

        awaitNewToken(unverified, VERIFY_LINK, List.of(firstLink));
        graceForStrayMail();
        assertThat(mailsTo(unknown)).isEmpty();
        assertThat(mailsTo(verified)).hasSize(1);   // only the original verification mail
        assertThat(tokensMailedTo(unverified, VERIFY_LINK)).hasSize(2);
    }

    @Test
    void resendWhenANewLinkIsSentThenTheOlderLinkIsDead() {
        String email = registered("resend-kills");
        String older = awaitNewToken(email, VERIFY_LINK);

        assertThat(server.client().postJson(VERIFY_RESEND, json("email", email)).status()).isEqualTo(202);
        String newer = awaitNewToken(email, VERIFY_LINK, List.of(older));

        assertThat(newer).isNotEqualTo(older);
        assertProblem(verify(older), 400, "verification.invalid_token");
        assertThat(verify(newer).status()).isEqualTo(204);
    }

    @Test
    void resendWhenEmailIsInvalidThen400InvalidEmail() {
        assertProblem(server.client().postJson(VERIFY_RESEND, json("email", "nobody")), 400, "account.invalid_email");
        assertProblem(server.client().postJson(VERIFY_RESEND, json("email", "a@example.org", "password", PASSWORD)), 400,
                "request.unknown_field");
    }

    private String registered(String tag) {
        String email = fresh(tag);
        TestHttp.Response response = register(email, PASSWORD);
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        return email;
    }

    private TestHttp.Response verify(String token) {
        return server.client().postJson(VERIFY, json("token", token));
    }
}
