package dev.doorman.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.doorman.testkit.TestHttp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

import static dev.doorman.api.ApiAssertions.assertNoCompositionRule;
import static dev.doorman.api.ApiAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The password policy (PW-01 to PW-05) on every path that sets a password: registration, change and reset.
 * Rejections use one long-lived user per path (a rejection changes nothing, so they can share it);
 * acceptances use a fresh user each.
 */
abstract class PasswordPolicyApiContract extends ApiContract {
    /** The three ways a password gets set. */
    enum Via { REGISTER, CHANGE, RESET }

    /** 15 different, non-consecutive emoji: 15 code points, 30 UTF-16 units. */
    private static final String EMOJI_15 = "\uD83E\uDD8A\uD83C\uDF35\uD83C\uDFBB\uD83D\uDEB2\uD83C\uDF49\uD83E\uDDED\uD83D\uDC19"
            + "\uD83C\uDF88\uD83C\uDF0B\uD83E\uDDE9\uD83E\uDD89\uD83C\uDF44\uD83D\uDEF6\uD83C\uDFB2\uD83E\uDE81";

    /** Where a password is submitted, and for whom. */
    private record Target(String email, Function<String, TestHttp.Response> submit) {
        String localPart() {
            return email.substring(0, email.indexOf('@'));
        }
    }

    private TestHttp changer;
    private String changerEmail;
    private String resetEmail;
    private String resetToken;

    @BeforeAll
    void createUsersForRejections() {
        changerEmail = registerVerified("policy-change");
        changer = loggedIn(changerEmail);
        resetEmail = registerVerified("policy-reset");
        assertThat(server.client().postJson(RESET, json("email", resetEmail)).status()).isEqualTo(202);
        resetToken = awaitNewToken(resetEmail, RESET_LINK);
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void setPasswordWhenItHas14CharactersThen400TooShortNamingTheMinimum(Via via) {
        JsonNode problem = assertRejected(via, "quiet lamp ore", "password.too_short");
        assertThat(problem.path("detail").asText()).contains("15");
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void setPasswordWhenItIsExactly15UnrelatedLowercaseLettersThenAccepted(Via via) {
        assertAccepted(via, "qhzvtrwkpmxbnly");
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void setPasswordWhenItIsLongerThanTheMaximumThen400TooLong(Via via) {
        assertRejected(via, phrase(300), "password.too_long");
        assertRejected(via, phrase(257), "password.too_long");
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void setPasswordWhenItIsCommonOrPredictableThen400Common(Via via) {
        assertRejected(via, "passwordpassword", "password.common");
        assertRejected(via, "123456789012345", "password.common");
        assertRejected(via, "1qaz2wsx3edc4rfv", "password.common");
        assertRejected(via, "PasswordPassword", "password.common");
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void setPasswordWhenItContainsTheProductNameThen400(Via via) {
        String code = assertRejected(via, "doorman2025!doorman", null).path("code").asText();
        assertThat(code).isIn("password.common", "password.context");
        assertRejected(via, "my doorman account key", "password.context");
        assertRejected(via, "the DoorMan lets quiet people in", "password.context");
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void setPasswordWhenItContainsTheEmailLocalPartThen400ContainsEmail(Via via) {
        Target target = target(via);
        assertRejected(target, target.localPart() + " walks in the rain", "password.contains_email");
        assertRejected(target, "rainy " + target.localPart().toUpperCase(Locale.ROOT) + " evenings", "password.contains_email");
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void setPasswordWhenItIs15EmojiThenAcceptedBecauseEachCodePointCountsOnce(Via via) {
        assertThat(EMOJI_15.length()).isEqualTo(30);
        assertThat(EMOJI_15.codePointCount(0, EMOJI_15.length())).isEqualTo(15);
        assertAccepted(via, EMOJI_15);
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void setPasswordWhenItIs14EmojiThen400TooShortEvenThoughItHas28Utf16Units(Via via) {
        String emoji14 = EMOJI_15.substring(0, 28);
        assertRejected(via, emoji14, "password.too_short");
    }

    @Test
    void registerWhenPasswordHas64Or128Or256CharactersThenAccountRegistersAndLogsIn() {
        for (int length : new int[]{64, 128, 256}) {
            String password = phrase(length);
            assertThat(password).hasSize(length);
            String email = fresh("policy-long" + length);
            assertThat(register(email, password).status()).as("register with %d characters", length).isEqualTo(202);
            verify(email);
            assertThat(login(email, password).status()).as("login with %d characters", length).isEqualTo(200);
        }
    }

    @Test
    void registerWhenBodyHoldsA1MegabytePasswordThenRefusedQuicklyWithoutHashing() {
        String email = fresh("policy-huge");
        byte[] hugeBody = json("email", email, "password", "x".repeat(1024 * 1024)).getBytes(StandardCharsets.UTF_8);
        long start = System.nanoTime();
        TestHttp.Response response = RawHttp.post(server.baseUrl, ACCOUNTS, "application/json", hugeBody, false);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(response.status()).as(response.toString()).isIn(400, 413);
        ApiAssertions.assertClientProblem(response);
        assertThat(took).isLessThan(Duration.ofSeconds(1));
        assertAddressIsStillFree(email);
    }

    @Test
    void registerWhenPasswordIsJustUnderTheBodyCapThenRefusedAsTooLongBeforeHashing() {
        String email = fresh("policy-60k");
        long start = System.nanoTime();
        TestHttp.Response response = register(email, phrase(60).repeat(1000));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertProblem(response, 400, "password.too_long");
        assertThat(took).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void registerWhenPasswordIsRejectedThenNoAccountIsCreated() {
        String email = fresh("policy-nothing");
        assertProblem(register(email, "passwordpassword"), 400, "password.common");
        assertProblem(register(email, "quiet lamp ore"), 400, "password.too_short");

        assertProblem(login(email, "passwordpassword"), 401, "login.invalid_credentials");
        assertAddressIsStillFree(email);
    }

    @Test
    void loginWhenPasswordWasRegisteredPrecomposedAndIsTypedDecomposedThenSucceeds() {
        String precomposed = "cr\u00e8me br\u00fbl\u00e9e au caf\u00e9 du port";
        String decomposed = Normalizer.normalize(precomposed, Normalizer.Form.NFD);
        assertThat(decomposed).isNotEqualTo(precomposed).contains("e\u0301");
        String email = fresh("policy-nfkc");
        assertThat(register(email, precomposed).status()).isEqualTo(202);
        verify(email);

        assertThat(login(email, decomposed).status()).isEqualTo(200);
        assertThat(login(email, precomposed).status()).isEqualTo(200);
        assertProblem(login(email, "creme brulee au cafe du port"), 401, "login.invalid_credentials");
    }

    @Test
    void loginWhenPasswordIsTruncatedOrAlteredOrCaseSwappedThenFails() {
        String password = phrase(100);
        String email = fresh("policy-exact");
        assertThat(register(email, password).status()).isEqualTo(202);
        verify(email);

        assertProblem(login(email, password.substring(0, 72)), 401, "login.invalid_credentials");
        assertProblem(login(email, password.substring(0, 99) + (password.endsWith("q") ? "z" : "q")), 401, "login.invalid_credentials");
        assertProblem(login(email, swapCase(password)), 401, "login.invalid_credentials");
        assertProblem(login(email, password + " "), 401, "login.invalid_credentials");
        assertThat(login(email, password).status()).isEqualTo(200);
    }

    // ---- paths ------------------------------------------------------------------------------------------------

    /** The long-lived user of a path (rejections only: they change nothing). */
    private Target target(Via via) {
        return switch (via) {
            case REGISTER -> {
                String email = fresh("policy-register");
                yield new Target(email, password -> register(email, password));
            }
            case CHANGE -> new Target(changerEmail, password -> changer.postJson(MY_PASSWORD,
                    json("currentPassword", PASSWORD, "newPassword", password)));
            case RESET -> new Target(resetEmail, password -> server.client().postJson(RESET_CONFIRM,
                    json("token", resetToken, "password", password)));
        };
    }

    /** A new user of a path, for a password that will be accepted. */
    private Target freshTarget(Via via) {
        return switch (via) {
            case REGISTER -> target(via);
            case CHANGE -> {
                String email = registerVerified("policy-change-ok");
                TestHttp http = loggedIn(email);
                yield new Target(email, password -> http.postJson(MY_PASSWORD, json("currentPassword", PASSWORD, "newPassword", password)));
            }
            case RESET -> {
                String email = registerVerified("policy-reset-ok");
                assertThat(server.client().postJson(RESET, json("email", email)).status()).isEqualTo(202);
                String token = awaitNewToken(email, RESET_LINK);
                yield new Target(email, password -> server.client().postJson(RESET_CONFIRM, json("token", token, "password", password)));
            }
        };
    }

    private JsonNode assertRejected(Via via, String password, String code) {
        return assertRejected(target(via), password, code);
    }

    /** 400 with the rule's code (any {@code password.*} code when {@code code} is null), naming the rule, no composition rule. */
    private JsonNode assertRejected(Target target, String password, String code) {
        TestHttp.Response response = target.submit().apply(password);
        JsonNode problem = assertProblem(response, 400, code != null ? code : response.json().path("code").asText());
        assertThat(problem.path("code").asText()).startsWith("password.");
        assertNoCompositionRule(problem.path("detail").asText());
        return problem;
    }

    private void assertAccepted(Via via, String password) {
        Target target = freshTarget(via);
        TestHttp.Response response = target.submit().apply(password);
        assertThat(response.status()).as(response.toString()).isEqualTo(via == Via.REGISTER ? 202 : 204);
        if (via == Via.REGISTER) verify(target.email());
        assertThat(login(target.email(), password).status()).as("login with the accepted password").isEqualTo(200);
    }

    private void verify(String email) {
        TestHttp.Response verified = server.client().postJson(VERIFY, json("token", awaitNewToken(email, VERIFY_LINK)));
        assertThat(verified.status()).as(verified.toString()).isEqualTo(204);
    }

    private static String swapCase(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) out.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
        return out.toString();
    }
}
