package dev.doorman.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code doorman keys list|rotate}, run in-process against a data directory. */
class KeysCommandTest {
    private static final String KEK = ServerConfigTest.KEK;
    private static final String OTHER_KEK = "Wm7k1Jc0v8yXb3Qe5TnR2uLs9PdHa6fG4iKoZw0xYtE=";
    private static final String ROW = "([A-Za-z0-9_-]{22}) +(RS256|PS256|ES256|EdDSA) +(active|next|retired) +(\\S+) +(\\S+) +(\\S+)";

    @TempDir
    Path dir;

    private Cli cli() {
        return new Cli(dir.resolve("data")).env("DOORMAN_KEY_ENCRYPTION_KEY", KEK);
    }

    /** The rows of {@code keys list} after the header, as [kid, alg, state, created, activated, retired]. */
    private static List<List<String>> rows(Cli.Result list) {
        var lines = list.out().lines().toList();
        assertThat(lines.getFirst()).matches("KID +ALG +STATE +CREATED +ACTIVATED +RETIRED");
        return lines.subList(1, lines.size()).stream().map(line -> {
            var m = java.util.regex.Pattern.compile(ROW).matcher(line);
            assertThat(m.matches()).as(line).isTrue();
            return List.of(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6));
        }).toList();
    }

    @Test
    void keysListWhenFirstRunThenOneActiveAndOneNextRs256Key() {
        var list = cli().run("keys", "list");

        assertThat(list.exitCode()).as(list.err()).isZero();
        var rows = rows(list);
        assertThat(rows).extracting(r -> r.get(2)).containsExactly("active", "next");
        assertThat(rows).extracting(r -> r.get(1)).containsOnly("RS256");
        assertThat(rows.get(0).get(4)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(rows.get(1).get(4)).isEqualTo("-");
        assertThat(rows).extracting(r -> r.get(5)).containsOnly("-");
    }

    @Test
    void keysRotateWhenRunThenTheNextKeyIsActiveTheOldOneRetiredAndANewNextKeyListed() {
        var cli = cli();
        var before = rows(cli.run("keys", "list"));
        String active = before.get(0).get(0);
        String next = before.get(1).get(0);

        var rotate = cli.run("keys", "rotate");
        var after = rows(cli.run("keys", "list"));

        assertThat(rotate.exitCode()).as(rotate.err()).isZero();
        assertThat(rotate.out()).startsWith("rotated the signing keys: " + next + " is now active; " + active + " is retired and published until ");
        assertThat(after).extracting(r -> r.get(2)).containsExactly("active", "next", "retired");
        assertThat(after.get(0).get(0)).isEqualTo(next);
        assertThat(after.get(2).get(0)).isEqualTo(active);
        assertThat(after.get(2).get(5)).isNotEqualTo("-");
        assertThat(after.get(1).get(0)).isNotIn(active, next);
    }

    @Test
    void keysRotateWhenSigningAlgorithmConfiguredThenNewKeysUseIt() {
        var cli = cli().env("DOORMAN_SIGNING_ALG", "EdDSA");

        cli.run("keys", "rotate");
        var rows = rows(cli.run("keys", "list"));

        assertThat(rows).filteredOn(r -> !r.get(2).equals("retired")).extracting(r -> r.get(1)).containsOnly("EdDSA");
    }

    @Test
    void keysListWhenKeyEncryptionKeyIsWrongThenOneClearLineExit1AndNoKeyShown() {
        cli().run("keys", "list");

        var wrong = new Cli(dir.resolve("data")).env("DOORMAN_KEY_ENCRYPTION_KEY", OTHER_KEK).run("keys", "list");
        var none = new Cli(dir.resolve("data")).run("keys", "list");

        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.err()).contains("doorman: cannot decrypt signing key ").contains("different key-encryption key")
                .doesNotContain(KEK).doesNotContain(OTHER_KEK).doesNotContain("Exception");
        assertThat(wrong.out()).isEmpty();
        assertThat(none.exitCode()).as("dev mode without a KEK uses its own, which is not the one the keys were made with").isEqualTo(1);
        assertThat(none.err()).contains("development key-encryption key");
    }
}
