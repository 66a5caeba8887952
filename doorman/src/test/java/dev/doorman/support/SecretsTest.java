package dev.doorman.support;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** OA-14: every bearer secret (session ids, codes, refresh tokens, reset links, client secrets) comes from here. */
class SecretsTest {
    private final Secrets secrets = new Secrets(new SecureRandom());

    @Test
    void newTokenWhenSampledThenEachIs256BitsOfCanonicalBase64UrlAndNoneRepeats() {
        var seen = new HashSet<String>();
        for (int i = 0; i < 1000; i++) {
            String token = secrets.newToken();
            assertThat(Base64.getUrlDecoder().decode(token)).hasSize(32);
            assertThat(token).matches("[A-Za-z0-9_-]{43}");
            assertThat(Secrets.looksLikeToken(token)).isTrue();
            assertThat(seen.add(token)).isTrue();
        }
    }

    @Test
    void hashWhenGivenATokenThenLowerCaseHexSha256ThatDoesNotContainIt() {
        String token = secrets.newToken();
        String hash = Secrets.hash(token);
        assertThat(hash).matches("[0-9a-f]{64}").isNotEqualTo(token).doesNotContain(token);
        assertThat(HexFormat.of().parseHex(hash)).hasSize(32);
        assertThat(Secrets.hash(token)).isEqualTo(hash);
        assertThat(Secrets.hash(secrets.newToken())).isNotEqualTo(hash);
    }
}
