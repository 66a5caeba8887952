package dev.doorman.mfa;

import dev.doorman.keys.KeyEncryption;
import dev.doorman.support.Secrets;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** TOTP seeds at rest: sealed with the signing keys' key-encryption key (AES-256-GCM), bound to their row's context. */
class SecretSealingTest {
    private final Secrets secrets = new Secrets(new SecureRandom());
    private final KeyEncryption kek = KeyEncryption.configured(Base64.getEncoder().encodeToString(secrets.newBytes(32)), secrets);
    private final byte[] seed = secrets.newBytes(20);

    @Test
    void openWhenSealedUnderTheSameContextThenTheSeedComesBackAndTheStoredFormHidesIt() {
        String sealed = kek.sealSecret("totp|u1", seed);
        assertThat(sealed).startsWith(kek.id() + ":").doesNotContain(Base64.getEncoder().encodeToString(seed));
        assertThat(kek.openSecret("totp|u1", sealed)).isEqualTo(seed);
        assertThat(kek.sealSecret("totp|u1", seed)).as("a fresh IV every time").isNotEqualTo(sealed);
    }

    @Test
    void openWhenMovedToAnotherUsersRowOrTamperedOrUnderAnotherKekThenRefused() {
        String sealed = kek.sealSecret("totp|u1", seed);
        assertThatThrownBy(() -> kek.openSecret("totp|u2", sealed)).isInstanceOf(KeyEncryption.KeyDecryptionException.class);
        assertThatThrownBy(() -> kek.openSecret("totp-pending|u1", sealed)).isInstanceOf(KeyEncryption.KeyDecryptionException.class);
        byte[] raw = Base64.getDecoder().decode(sealed.substring(sealed.indexOf(':') + 1));
        raw[raw.length - 1] ^= 1;
        String tampered = kek.id() + ":" + Base64.getEncoder().encodeToString(raw);
        assertThatThrownBy(() -> kek.openSecret("totp|u1", tampered)).isInstanceOf(KeyEncryption.KeyDecryptionException.class);
        var other = KeyEncryption.configured(Base64.getEncoder().encodeToString(secrets.newBytes(32)), secrets);
        assertThatThrownBy(() -> other.openSecret("totp|u1", sealed)).isInstanceOf(KeyEncryption.KeyDecryptionException.class)
                .hasMessageContaining("different key-encryption key");
        assertThatThrownBy(() -> kek.openSecret("totp|u1", "garbage")).isInstanceOf(KeyEncryption.KeyDecryptionException.class);
    }
}
