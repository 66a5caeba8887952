package dev.doorman.keys;

import dev.doorman.db.Database;
import dev.doorman.db.DbSettings;
import dev.doorman.db.ServerSecrets;
import dev.doorman.support.Secrets;
import dev.doorman.testkit.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyEncryptionTest {
    private static final String JWK = "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"d\":\"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A\","
            + "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}";
    private static final KeyId KID = new KeyId("2011-04-29");

    @TempDir
    Path dir;

    private final Secrets secrets = new Secrets(new SecureRandom());
    private final KeyEncryption kek = KeyEncryption.configured(KeysHarness.KEK, secrets);

    @Test
    void openWhenSealedUnderTheSameKidThenTheJwkComesBackAndTheCiphertextHidesIt() {
        SealedJwk sealed = kek.seal(KID, JWK);

        assertThat(kek.open(KID, sealed)).isEqualTo(JWK);
        assertThat(sealed.ciphertext()).doesNotContain("nWGxne").doesNotContain("Ed25519");
        assertThat(sealed.kekId()).isEqualTo(kek.id()).hasSize(16);
    }

    @Test
    void sealWhenCalledTwiceThenEachUsesItsOwnRandom96BitIv() {
        byte[] first = Base64.getDecoder().decode(kek.seal(KID, JWK).ciphertext());
        byte[] second = Base64.getDecoder().decode(kek.seal(KID, JWK).ciphertext());

        assertThat(Arrays.copyOf(first, 12)).isNotEqualTo(Arrays.copyOf(second, 12));
        assertThat(first).isNotEqualTo(second);
        assertThat(first).hasSize(12 + JWK.length() + 16);
    }

    @Test
    void openWhenSealedUnderAnotherKidThenRefusedAsAltered() {
        SealedJwk sealed = kek.seal(KID, JWK);

        assertThatThrownBy(() -> kek.open(new KeyId("another-kid"), sealed))
                .isInstanceOf(KeyEncryption.KeyDecryptionException.class)
                .hasMessageContaining("another-kid").hasMessageContaining("altered or damaged");
    }

    @Test
    void openWhenOneBitOfTheCiphertextFlippedThenRefusedAsAltered() {
        SealedJwk sealed = kek.seal(KID, JWK);
        byte[] bytes = Base64.getDecoder().decode(sealed.ciphertext());
        bytes[20] ^= 1;

        assertThatThrownBy(() -> kek.open(KID, new SealedJwk(sealed.kekId(), Base64.getEncoder().encodeToString(bytes))))
                .isInstanceOf(KeyEncryption.KeyDecryptionException.class).hasMessageContaining("altered or damaged");
    }

    @Test
    void openWhenKeyEncryptionKeyDiffersThenRefusedNamingBothCheckValuesButNeitherKey() {
        SealedJwk sealed = kek.seal(KID, JWK);
        var other = KeyEncryption.configured(KeysHarness.OTHER_KEK, secrets);

        assertThatThrownBy(() -> other.open(KID, sealed))
                .isInstanceOf(KeyEncryption.KeyDecryptionException.class)
                .hasMessageContaining("different key-encryption key")
                .hasMessageContaining(kek.id()).hasMessageContaining(other.id())
                .hasMessageNotContaining(KeysHarness.KEK).hasMessageNotContaining(KeysHarness.OTHER_KEK);
        // Even a forged check value does not open it: GCM authenticates with the key itself.
        assertThatThrownBy(() -> other.open(KID, new SealedJwk(other.id(), sealed.ciphertext())))
                .isInstanceOf(KeyEncryption.KeyDecryptionException.class).hasMessageContaining("altered or damaged");
    }

    @Test
    void developmentWhenNoKeyIsConfiguredThenOneIsGeneratedOnceKeptInServerSecretsAndReused() {
        try (var database = Database.open(DbSettings.embedded(dir))) {
            database.migrate();
            var serverSecrets = new ServerSecrets(database.jdbi(), MutableClock.at(Instant.parse("2026-03-01T09:00:00Z")));

            var first = KeyEncryption.development(serverSecrets, secrets);
            var second = KeyEncryption.development(serverSecrets, secrets);

            assertThat(second.id()).isEqualTo(first.id());
            assertThat(second.open(KID, first.seal(KID, JWK))).isEqualTo(JWK);
            String stored = database.jdbi().withHandle(h -> h.createQuery("select value from server_secrets where name = :n")
                    .bind("n", KeyEncryption.DEV_SECRET_NAME).mapTo(String.class).one());
            assertThat(Base64.getDecoder().decode(stored)).hasSize(32);
        }
    }
}
