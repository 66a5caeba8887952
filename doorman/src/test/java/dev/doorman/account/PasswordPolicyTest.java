package dev.doorman.account;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordPolicyTest {
    private final PasswordPolicy policy = new PasswordPolicy(PasswordSettings.defaults());
    private final Optional<Email> alice = Optional.of(new Email("alice.wonder@example.org"));

    private Optional<String> violation(String password) {
        return policy.check(new Password(password), alice).map(PasswordPolicy.Violation::id);
    }

    @Test
    void checkWhenFourteenCharactersThenTooShortAndTheMessageNamesTheMinimum() {
        var v = policy.check(new Password("vkqpzmwtrhbnlx"), alice);
        assertThat(v).map(PasswordPolicy.Violation::id).contains("password.too_short");
        assertThat(v.get().message()).contains("15");
    }

    @Test
    void checkWhenFifteenUnrelatedLowercaseLettersThenAccepted() {
        assertThat(violation("vkqpzmwtrhbnlxq")).isEmpty();
    }

    @Test
    void checkWhenLengthIsCountedThenCodePointsCountNotUtf16Units() {
        String fifteenEmoji = "🐢🦊🐙🦉🐝🦄🐧🦋🐳🦀🐌🦜🐞🦩🐸";
        assertThat(fifteenEmoji.length()).isEqualTo(30);
        assertThat(violation(fifteenEmoji)).isEmpty();
        assertThat(violation(fifteenEmoji.substring(0, 28))).contains("password.too_short");
    }

    @Test
    void checkWhenLongerThanTheMaximumThenTooLong() {
        assertThat(violation("correct horse battery staple ".repeat(10))).contains("password.too_long");
        assertThat(violation("vkqpzmwtrhbnlxq fjdkeiwo".repeat(11).substring(0, 256))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"passwordpassword", "123456789012345", "qwertyuiopasdfghjkl", "abcdefghijklmnopq", "aaaaaaaaaaaaaaaaa",
            "zyxwvutsrqponmlkj", "1234567890123456789", "Password2025!!!!", "!!!qwertyuiop!!!", "abcabcabcabcabcabc",
            "ababababbabababa", "summer2025summer", "thisismypassword", "monkey123456789"})
    void checkWhenCommonRepeatedOrSequentialThenRejectedAsCommon(String password) {
        assertThat(violation(password)).contains("password.common");
    }

    @Test
    void checkWhenInTheShippedCommonListThenRejected() {
        // 15+ characters and in zxcvbn's list of the 30,000 most common passwords.
        assertThat(violation("1qaz2wsx3edc4rfv")).contains("password.common");
        assertThat(violation("qazwsxedcrfvtgb")).contains("password.common");
    }

    @Test
    void checkWhenContainsTheProductNameThenRejectedWithTheWord() {
        assertThat(violation("doorman2025!doorman")).contains("password.context");
        var v = policy.check(new Password("my doorman secret 2025"), alice);
        assertThat(v).map(PasswordPolicy.Violation::id).contains("password.context");
        assertThat(v.get().message()).contains("doorman");
        assertThat(violation("MyDoOrMaNsecretpass")).contains("password.context");
    }

    @Test
    void checkWhenContainsTheEmailLocalPartThenRejected() {
        assertThat(violation("hello alice.wonder friend")).contains("password.contains_email");
        assertThat(policy.check(new Password("hello alice.wonder friend"), Optional.empty())).isEmpty();
    }

    @Test
    void checkWhenConfiguredWordsThenThoseAreRejectedToo() {
        var custom = new PasswordPolicy(new PasswordSettings(15, 256, Argon2Params.defaults(), List.of("acme")));
        assertThat(custom.check(new Password("acme rockets are great"), Optional.empty())).map(PasswordPolicy.Violation::id).contains("password.context");
    }

    @Test
    void checkWhenRejectedThenNoMessageAsksForDigitsOrSymbols() {
        for (String p : List.of("short", "passwordpassword", "my doorman secret 2025", "hello alice.wonder friend", "x".repeat(300))) {
            policy.check(new Password(p), alice).ifPresent(v ->
                    assertThat(v.message().toLowerCase()).doesNotContain("digit", "symbol", "uppercase", "special character", "number"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"correct horse battery staple", "my cat likes fish", "bluewhalesingsong", "the quick brown fox",
            "café au lait tous les matins"})
    void checkWhenAPhraseOfUnrelatedWordsThenAccepted(String password) {
        assertThat(violation(password)).isEmpty();
    }

    @Test
    void settingsWhenMinimumBelowEightOrMaximumBelowSixtyFourThenRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PasswordSettings(7, 256, Argon2Params.defaults(), List.of()))
                .hasMessageContaining("at least 8");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PasswordSettings(15, 63, Argon2Params.defaults(), List.of()))
                .hasMessageContaining("64");
    }
}
