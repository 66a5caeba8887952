package dev.doorman.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.doorman.testkit.TestHttp;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static dev.doorman.api.ApiAssertions.assertProblem;
import static dev.doorman.api.ApiAssertions.cookieValue;
import static dev.doorman.api.ApiAssertions.headersExceptDate;
import static dev.doorman.api.ApiAssertions.setSessionCookie;
import static org.assertj.core.api.Assertions.assertThat;

/** POST /api/v1/session: EN-01 (one answer for every failure), the session cookie (SE-01, SE-03) and fixation (SE-02). */
abstract class LoginApiContract extends ApiContract {

    @Test
    void loginWhenPasswordIsWrongOrUserUnknownOrDisabledThenResponsesAreIdenticalExceptDate() {
        String existing = registerVerified("login-wrongpw");
        String disabled = registerVerified("login-disabled");
        disable(disabled);

        TestHttp.Response wrongPassword = login(existing, NEW_PASSWORD);
        TestHttp.Response unknownUser = login(fresh("login-unknown"), NEW_PASSWORD);
        TestHttp.Response disabledRightPassword = login(disabled, PASSWORD);
        TestHttp.Response disabledWrongPassword = login(disabled, NEW_PASSWORD);
        TestHttp.Response notAnAddress = login("not-an-address", NEW_PASSWORD);

        assertProblem(wrongPassword, 401, "login.invalid_credentials");
        for (TestHttp.Response other : List.of(unknownUser, disabledRightPassword, disabledWrongPassword, notAnAddress)) {
            assertThat(other.status()).as(other.toString()).isEqualTo(wrongPassword.status());
            assertThat(other.body()).isEqualTo(wrongPassword.body());
            assertThat(headersExceptDate(other)).isEqualTo(headersExceptDate(wrongPassword));
        }
        assertThat(wrongPassword.setCookies()).isEmpty();
        assertThat(wrongPassword.body().toLowerCase(Locale.ROOT)).doesNotContain("disabled", "unknown", "not found", "exist");
    }

    @Test
    void loginWhenCredentialsAreRightThen200WithCsrfTokenAndExpiresAtAndAHardenedSessionCookie() {
        String email = registerVerified("login-ok");
        Instant now = server.clock.instant();

        TestHttp.Response response = login(email, PASSWORD);

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(response.header("Cache-Control")).hasValueSatisfying(c -> assertThat(c).contains("no-store"));
        JsonNode body = response.json();
        assertThat(listOf(body.fieldNames())).containsExactlyInAnyOrder("csrfToken", "expiresAt");
        assertThat(body.path("csrfToken").asText()).isNotBlank();
        assertThat(Instant.parse(body.path("expiresAt").asText())).isEqualTo(now.plus(Duration.ofHours(12)));

        String setCookie = setSessionCookie(response, server.sessionCookieName()).orElseThrow(
                () -> new AssertionError("no session cookie in " + response.setCookies()));
        List<String> attributes = Arrays.stream(setCookie.split(";")).skip(1).map(String::trim).toList();
        assertThat(attributes).contains("HttpOnly", "Secure", "SameSite=Lax", "Path=/");
        assertThat(attributes).noneMatch(a -> a.toLowerCase(Locale.ROOT).startsWith("domain"));
        String value = cookieValue(setCookie);
        assertThat(value).matches("[A-Za-z0-9_-]{43}").doesNotContain(email.substring(0, email.indexOf('@')));
        assertThat(Base64.getUrlDecoder().decode(value)).hasSize(32);
    }

    @Test
    void loginWhenCsrfTokenFromTheLoginIsSentThenUnsafeRequestsWorkAndWithoutItThey403() {
        String email = registerVerified("login-csrf");
        TestHttp http = server.client();
        String csrfToken = login(http, email, PASSWORD).json().path("csrfToken").asText();

        assertProblem(http.deleteJson(SESSION), 403, "csrf.invalid_token");
        assertThat(http.get(ME).status()).as("the refused logout changed nothing").isEqualTo(200);

        http.setHeader("X-CSRF-Token", csrfToken);
        assertThat(http.deleteJson(SESSION).status()).isEqualTo(204);
        assertThat(http.get(ME).status()).isEqualTo(401);
    }

    @Test
    void loginWhenSeveralSessionsAreStartedThenEveryCookieValueIsNewAnd256BitsOfBase64Url() {
        String email = registerVerified("login-entropy");
        Set<String> values = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            TestHttp http = loggedIn(email);
            values.add(sessionCookie(http));
        }
        assertThat(values).hasSize(5).allSatisfy(v -> assertThat(v).matches("[A-Za-z0-9_-]{43}"));
    }

    @Test
    void loginWhenARandomSessionCookieIsPlantedThenANewCookieIsIssuedAndThePlantedOneStaysAnonymous() {
        String email = registerVerified("login-fixation");
        String planted = "Fx" + "a1B2c3D4e5".repeat(4) + "Z";   // 43 base64url characters the server never issued
        assertThat(planted).hasSize(43);
        TestHttp victim = withSessionCookie(planted);

        TestHttp.Response response = login(victim, email, PASSWORD);

        assertThat(response.status()).isEqualTo(200);
        String issued = cookieValue(setSessionCookie(response, server.sessionCookieName()).orElseThrow());
        assertThat(issued).isNotEqualTo(planted);
        assertThat(sessionCookie(victim)).isEqualTo(issued);
        assertThat(alive(issued)).isTrue();
        assertProblem(withSessionCookie(planted).get(ME), 401, "auth.unauthenticated");
    }

    @Test
    void loginWhenAlreadyLoggedInThenANewCookieIsIssuedAndTheOldOneIsDead() {
        String email = registerVerified("login-again");
        TestHttp http = loggedIn(email);
        String before = sessionCookie(http);

        TestHttp.Response again = login(http, email, PASSWORD);

        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        String after = cookieValue(setSessionCookie(again, server.sessionCookieName()).orElseThrow());
        assertThat(after).isNotEqualTo(before);
        assertThat(alive(before)).as("the session from before the second login").isFalse();
        assertThat(alive(after)).isTrue();
    }

    @Test
    void loginWhenAccountIsDisabledWhileLoggedInThenItsSessionsAreDead() {
        String email = registerVerified("login-disabled-later");
        TestHttp http = loggedIn(email);
        assertThat(http.get(ME).status()).isEqualTo(200);

        disable(email);

        assertProblem(http.get(ME), 401, "auth.unauthenticated");
        assertProblem(login(email, PASSWORD), 401, "login.invalid_credentials");
    }

    @Test
    void loginWhenTheAccountIsDisabledWhileLoginsAreInFlightThenNoneOfTheirSessionsSurvives() throws Exception {
        String email = registerVerified("login-disabled-race");

        List<String> sessions = attackWithOldPasswordWhile(email, () -> disable(email));

        assertThat(sessions).as("sessions obtained before or while the account was disabled").isNotEmpty();
        assertThat(sessions).as("sessions still alive after the account was disabled").noneMatch(this::alive);
    }

    @Test
    void meWhenTheSessionTokenIsInTheUrlInsteadOfTheCookieThenItIsIgnored() {
        String email = registerVerified("login-url-token");
        String token = sessionCookie(loggedIn(email));
        String name = server.sessionCookieName();

        assertProblem(server.client().get(ME + "?" + name + "=" + token), 401, "auth.unauthenticated");
        assertProblem(server.client().get(ME + "?sid=" + token), 401, "auth.unauthenticated");
        assertProblem(server.client().get(ME + "?jsessionid=" + token), 401, "auth.unauthenticated");
        TestHttp.Response matrix = server.client().get(ME + ";jsessionid=" + token);
        assertThat(matrix.status()).as(matrix.toString()).isIn(400, 401, 404);
        TestHttp bearer = server.client();
        bearer.setHeader("Authorization", "Bearer " + token);
        assertProblem(bearer.get(ME), 401, "auth.unauthenticated");
        assertThat(alive(token)).isTrue();
    }

    @Test
    void meWhenNoOrAGarbageCookieIsSentThen401ProblemAndTheGarbageCookieIsCleared() {
        assertProblem(server.client().get(ME), 401, "auth.unauthenticated");

        TestHttp.Response garbage = withSessionCookie("definitely-not-a-session").get(ME);
        assertProblem(garbage, 401, "auth.unauthenticated");
        assertThat(garbage.setCookies()).anyMatch(c -> c.startsWith(server.sessionCookieName() + "=;") && c.contains("Max-Age=0"));
    }

    private static <T> List<T> listOf(Iterator<T> iterator) {
        var list = new ArrayList<T>();
        iterator.forEachRemaining(list::add);
        return list;
    }
}
