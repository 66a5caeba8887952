package dev.doorman.account;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordHasherTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final PasswordHasher hasher = hasher(Argon2Params.defaults());
    private final Password password = new Password("correct horse battery staple");

    private static PasswordHasher hasher(Argon2Params params) {
        return new PasswordHasher(params, n -> {
            byte[] b = new byte[n];
            RANDOM.nextBytes(b);
            return b;
        }, 2);
    }

    @Test
    void hashWhenCalledThenPhcStringCarriesArgon2idAndItsParameters() {
        assertThat(hasher.hash(password)).matches("\\$argon2id\\$v=19\\$m=19456,t=4,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    }

    @Test
    void hashWhenTheHashingThreadsUseTheirMemoryAgainThenEveryResultIsWhatAFreshArgon2idGives() {
        byte[] salt = "sixteen byte slt".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        var params = Argon2Params.defaults();
        var fixedSalt = new PasswordHasher(params, n -> salt.clone(), 1);
        var generator = new org.bouncycastle.crypto.generators.Argon2BytesGenerator();
        generator.init(new org.bouncycastle.crypto.params.Argon2Parameters.Builder(org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_id)
                .withVersion(org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(params.memoryKib()).withIterations(params.iterations()).withParallelism(params.parallelism())
                .withSalt(salt).build());
        byte[] expected = new byte[32];
        generator.generateBytes(password.value().getBytes(java.nio.charset.StandardCharsets.UTF_8), expected);
        String expectedPhc = "$argon2id$v=19$m=" + params.memoryKib() + ",t=" + params.iterations() + ",p=" + params.parallelism() + "$" + java.util.Base64.getEncoder().withoutPadding().encodeToString(salt)
                + "$" + java.util.Base64.getEncoder().withoutPadding().encodeToString(expected);

        // One hashing thread: each hash runs in the memory the one before it used, another password's among them.
        for (int i = 0; i < 3; i++) {
            assertThat(fixedSalt.hash(password)).isEqualTo(expectedPhc);
            assertThat(fixedSalt.hash(new Password("another password " + i))).isNotEqualTo(expectedPhc);
        }
    }

    @Test
    void hashWhenSamePasswordTwiceThenDifferentSaltsAndHashes() {
        assertThat(hasher.hash(password)).isNotEqualTo(hasher.hash(password));
    }

    @Test
    void verifyWhenRightPasswordThenTrueAndWhenAlteredThenFalse() {
        String stored = hasher.hash(password);
        assertThat(hasher.verify(password, stored)).isTrue();
        assertThat(hasher.verify(new Password("correct horse battery staplE"), stored)).isFalse();
        assertThat(hasher.verify(new Password("correct horse battery stapl"), stored)).isFalse();
        assertThat(hasher.verify(new Password("CORRECT HORSE BATTERY STAPLE"), stored)).isFalse();
    }

    @Test
    void verifyWhenPasswordLongerThanSeventyTwoBytesThenNothingIsTruncated() {
        var longPassword = new Password("a sentence that goes on and on ".repeat(4));
        String stored = hasher.hash(longPassword);
        assertThat(hasher.verify(new Password(longPassword.value().substring(0, 72)), stored)).isFalse();
        assertThat(hasher.verify(longPassword, stored)).isTrue();
    }

    @Test
    void verifyWhenComposedOrDecomposedAccentThenSamePassword() {
        String stored = hasher.hash(new Password("caf\u00e9 au lait tous les matins"));
        assertThat(hasher.verify(new Password("cafe\u0301 au lait tous les matins"), stored)).isTrue();
    }

    @Test
    void verifyWhenStoredHashIsMalformedOrAbusiveThenFalse() {
        assertThat(hasher.verify(password, "")).isFalse();
        assertThat(hasher.verify(password, null)).isFalse();
        assertThat(hasher.verify(password, "$2a$10$abcdefghijklmnopqrstuu")).isFalse();
        assertThat(hasher.verify(password, "$argon2id$v=19$m=9999999,t=3,p=1$c29tZXNhbHRzb21lc2FsdA$" + "A".repeat(43))).isFalse();
        assertThat(PasswordHasher.isWellFormed("$argon2i$v=19$m=19456,t=3,p=1$c29tZXNhbHRzb21lc2FsdA$" + "A".repeat(43))).isFalse();
    }

    @Test
    void needsRehashWhenParametersDifferFromTodaysThenTrue() {
        var old = hasher(new Argon2Params(19456, 2, 1));
        String stored = old.hash(password);
        assertThat(hasher.needsRehash(stored)).isTrue();
        assertThat(hasher.verify(password, stored)).isTrue();
        assertThat(hasher.needsRehash(hasher.hash(password))).isFalse();
    }

    @Test
    void paramsWhenBelowOwaspMinimumThenRefused() {
        assertThatThrownBy(() -> new Argon2Params(16384, 2, 1)).hasMessageContaining("19456");
        assertThatThrownBy(() -> new Argon2Params(19456, 1, 1)).hasMessageContaining("iterations");
    }
}
