package dev.doorman.mfa;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class TotpTest {
    private static final byte[] SHA1_SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SHA256_SEED = "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SHA512_SEED = "1234567890123456789012345678901234567890123456789012345678901234".getBytes(StandardCharsets.US_ASCII);

    /** RFC 6238 Appendix B, every row. */
    @ParameterizedTest
    @CsvSource({
            "59, 94287082, 46119246, 90693936",
            "1111111109, 07081804, 68084774, 25091201",
            "1111111111, 14050471, 67062674, 99943326",
            "1234567890, 89005924, 91819424, 93441116",
            "2000000000, 69279037, 90698825, 38618901",
            "20000000000, 65353130, 77737706, 47863826"})
    void codeWhenGivenTheRfc6238AppendixBTimesThenMatchesTheirVectors(long unixSeconds, String sha1, String sha256, String sha512) {
        long step = Totp.step(Instant.ofEpochSecond(unixSeconds));
        assertThat(Totp.code(SHA1_SEED, step, "HmacSHA1", 8)).isEqualTo(sha1);
        assertThat(Totp.code(SHA256_SEED, step, "HmacSHA256", 8)).isEqualTo(sha256);
        assertThat(Totp.code(SHA512_SEED, step, "HmacSHA512", 8)).isEqualTo(sha512);
        assertThat(Totp.code(SHA1_SEED, step)).isEqualTo(sha1.substring(2));
    }

    @Test
    void matchWhenCodeIsFromTheStepBeforeOrAfterThenAcceptedButTwoStepsAwayRefused() {
        Instant now = Instant.parse("2026-11-28T10:00:00Z");
        long step = Totp.step(now);
        assertThat(Totp.match(SHA1_SEED, Totp.code(SHA1_SEED, step - 1), now, Long.MIN_VALUE)).hasValue(step - 1);
        assertThat(Totp.match(SHA1_SEED, Totp.code(SHA1_SEED, step + 1), now, Long.MIN_VALUE)).hasValue(step + 1);
        assertThat(Totp.match(SHA1_SEED, Totp.code(SHA1_SEED, step - 3), now, Long.MIN_VALUE)).isEmpty();
        assertThat(Totp.match(SHA1_SEED, Totp.code(SHA1_SEED, step + 2), now, Long.MIN_VALUE)).isEmpty();
    }

    @Test
    void matchWhenStepWasAlreadyUsedThenRefusedAsAReplayAndOlderStepsToo() {
        Instant now = Instant.parse("2026-11-28T10:00:00Z");
        long step = Totp.step(now);
        assertThat(Totp.match(SHA1_SEED, Totp.code(SHA1_SEED, step), now, step)).isEmpty();
        assertThat(Totp.match(SHA1_SEED, Totp.code(SHA1_SEED, step - 1), now, step)).isEmpty();
        assertThat(Totp.match(SHA1_SEED, Totp.code(SHA1_SEED, step + 1), now, step)).hasValue(step + 1);
    }

    @Test
    void matchWhenCodeIsMalformedThenEmpty() {
        Instant now = Instant.parse("2026-11-28T10:00:00Z");
        assertThat(Totp.match(SHA1_SEED, null, now, Long.MIN_VALUE)).isEmpty();
        assertThat(Totp.match(SHA1_SEED, "12345", now, Long.MIN_VALUE)).isEmpty();
        assertThat(Totp.match(SHA1_SEED, "12a456", now, Long.MIN_VALUE)).isEmpty();
        assertThat(Totp.match(SHA1_SEED, "1234567", now, Long.MIN_VALUE)).isEmpty();
    }

    @Test
    void base32WhenEncodingTheRfc4648VectorsThenMatchesWithoutPadding() {
        assertThat(Base32.encode("f".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MY");
        assertThat(Base32.encode("fo".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXQ");
        assertThat(Base32.encode("foo".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6");
        assertThat(Base32.encode("foob".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YQ");
        assertThat(Base32.encode("fooba".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTB");
        assertThat(Base32.encode("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTBOI");
    }

    @Test
    void recoveryCodesWhenGeneratedThenTenDistinctCodesOf120BitsThatNormalizeBack() {
        var codes = RecoveryCodes.generate(new dev.doorman.support.Secrets(new java.security.SecureRandom()));
        assertThat(codes).hasSize(10).doesNotHaveDuplicates();
        for (String code : codes) {
            assertThat(code).matches("[a-z2-7]{6}(-[a-z2-7]{6}){3}");
            assertThat(RecoveryCodes.normalize(code.toUpperCase().replace("-", " "))).hasValue(code.replace("-", ""));
        }
        assertThat(RecoveryCodes.normalize("123456")).isEmpty();
    }
}
