package dev.doorman.account;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class EmailTest {
    @Test
    void parseWhenMixedCaseAndSpacesThenTrimmedAndCaseFolded() {
        assertThat(Email.parse("  Alice@Example.ORG \t")).map(Email::value).contains("alice@example.org");
        assertThat(new Email("Alice@Example.org")).isEqualTo(new Email("alice@example.org"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "alice", "alice@", "@example.org", "alice@example", "alice@@example.org", "al ice@example.org",
            "alice@exa mple.org", "alice@-example.org", "alice@example.org\r\nBcc: x@y.org", "<alice@example.org>", "a\"b@example.org"})
    void parseWhenNotAnAddressThenEmpty(String raw) {
        assertThat(Email.parse(raw)).isEmpty();
    }

    @Test
    void parseWhenLocalPartOver64OrAddressOver254ThenEmpty() {
        assertThat(Email.parse("a".repeat(65) + "@example.org")).isEmpty();
        assertThat(Email.parse("a@" + ("b".repeat(60) + ".").repeat(5) + "org")).isEmpty();
        assertThat(Email.parse("a@" + "b".repeat(64) + ".org")).as("a DNS label has at most 63 characters").isEmpty();
        assertThat(Email.parse("a".repeat(64) + "@example.org")).isPresent();
    }

    @Test
    void localPartWhenAskedThenTheTextBeforeTheAt() {
        assertThat(new Email("alice.w+tag@example.org").localPart()).isEqualTo("alice.w+tag");
    }
}
