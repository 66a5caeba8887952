package dev.doorman.account;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BreachedPasswordsTest {
    private static final String BREACHED = "lanterns drift over quiet harbours";
    private static final String CLEAN = "seven copper kites argue with herons";

    @TempDir
    Path dir;

    @Test
    void sha1HexWhenKnownVectorThenMatchesHibpsUpperCaseForm() {
        // HIBP's own example: "password" → 5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8
        assertThat(BreachedPasswords.sha1Hex(new Password("password"))).isEqualTo("5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8");
    }

    @Test
    void isBreachedWhenTheSuffixIsListedInItsPrefixFileThenTrueOtherwiseFalse() {
        new BreachCorpus(dir).add(BREACHED, 42);
        var corpus = BreachedPasswords.open(dir);

        assertThat(corpus.isBreached(new Password(BREACHED))).isTrue();
        assertThat(corpus.isBreached(new Password(CLEAN))).isFalse();
        assertThat(corpus.isBreached(new Password(BREACHED.toUpperCase(Locale.ROOT)))).isFalse();
    }

    @Test
    void isBreachedWhenFileIsNamedWithTxtOrLowerCaseOrLinesAreLowerCaseThenStillFound() {
        String hash = BreachedPasswords.sha1Hex(new Password(BREACHED));
        new BreachCorpus(dir).addLine(hash.substring(0, 5).toLowerCase(Locale.ROOT) + ".txt", hash.substring(5).toLowerCase(Locale.ROOT) + ":3");

        assertThat(BreachedPasswords.open(dir).isBreached(new Password(BREACHED))).isTrue();
    }

    @Test
    void isBreachedWhenTheLineIsPaddingWithCountZeroThenFalse() {
        new BreachCorpus(dir).add(BREACHED, 0);

        assertThat(BreachedPasswords.open(dir).isBreached(new Password(BREACHED))).isFalse();
    }

    @Test
    void isBreachedWhenTheSamePasswordIsTypedDecomposedThenFoundAfterNfkc() {
        new BreachCorpus(dir).add("caf\u00e9 lanterns over quiet harbours", 5);

        assertThat(BreachedPasswords.open(dir).isBreached(new Password("cafe\u0301 lanterns over quiet harbours"))).isTrue();
    }

    @Test
    void isBreachedWhenThePrefixFileCannotBeReadThenAnErrorNotASilentPass() throws Exception {
        Files.createDirectory(dir.resolve(BreachCorpus.prefix(BREACHED)));

        assertThatThrownBy(() -> BreachedPasswords.open(dir).isBreached(new Password(BREACHED))).isInstanceOf(UncheckedIOException.class)
                .hasMessageNotContaining(BREACHED);
    }

    @Test
    void openWhenTheDirectoryDoesNotExistThenRefusedNamingIt() {
        assertThatThrownBy(() -> BreachedPasswords.open(dir.resolve("missing"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing").hasMessageContaining("not a readable directory");
    }

    @Test
    void policyCheckWhenPasswordIsBreachedThenViolationBreachedWithAMessageThatDoesNotRepeatIt() {
        new BreachCorpus(dir).add(BREACHED, 7);
        var policy = new PasswordPolicy(PasswordSettings.defaults().withBreached(new PasswordSettings.BreachedCheck(Optional.of(dir), false)));

        var violation = policy.check(new Password(BREACHED), Optional.empty());

        assertThat(violation).hasValueSatisfying(v -> {
            assertThat(v.id()).isEqualTo("password.breached");
            assertThat(v.message()).contains("data breaches").doesNotContain(BREACHED).doesNotContain("7");
        });
        assertThat(policy.check(new Password(CLEAN), Optional.empty())).isEmpty();
        assertThat(policy.checksAtLogin()).isFalse();
    }

    @Test
    void breachedCheckWhenAtLoginWithoutCorpusThenRefused() {
        assertThatThrownBy(() -> new PasswordSettings.BreachedCheck(Optional.empty(), true)).isInstanceOf(IllegalArgumentException.class);
    }
}
