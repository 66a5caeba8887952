package dev.doorman.mfa;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * RFC 6238 time-based one-time passwords on the JDK's HMAC: SHA-1, 6 digits, 30-second steps, what every
 * authenticator app understands. Pure functions of the secret and the time.
 */
public final class Totp {
    public static final int STEP_SECONDS = 30;
    public static final int DIGITS = 6;
    /** Steps accepted either side of the current one: clock skew and typing time (MF-02 allows one). */
    public static final int SKEW_STEPS = 1;

    private Totp() {
    }

    /** The RFC 6238 time step of an instant: floor(unix seconds / 30). */
    public static long step(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), STEP_SECONDS);
    }

    /** The 6-digit SHA-1 code of a step, as an authenticator app shows it. */
    public static String code(byte[] secret, long step) {
        return code(secret, step, "HmacSHA1", DIGITS);
    }

    /** RFC 4226 §5.3 with the step as the counter; {@code algorithm} and {@code digits} for the RFC 6238 test vectors. */
    static String code(byte[] secret, long step, String algorithm, int digits) {
        byte[] hash;
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret, "RAW"));
            hash = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is required by every JDK", e);
        }
        int offset = hash[hash.length - 1] & 0x0f;
        int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16) | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
        int otp = binary % (int) Math.pow(10, digits);
        return String.format("%0" + digits + "d", otp);
    }

    /**
     * The step, within ±{@link #SKEW_STEPS} of {@code now}, whose code is {@code code} and which is newer than
     * {@code lastUsedStep} (a code already accepted, or an older one, is a replay). Every candidate is compared in
     * constant time.
     */
    public static OptionalLong match(byte[] secret, String code, Instant now, long lastUsedStep) {
        if (code == null || code.length() != DIGITS || !code.chars().allMatch(c -> c >= '0' && c <= '9')) return OptionalLong.empty();
        long current = step(now);
        long found = -1;
        for (long s = current - SKEW_STEPS; s <= current + SKEW_STEPS; s++) {
            boolean equal = MessageDigest.isEqual(code(secret, s).getBytes(StandardCharsets.US_ASCII), code.getBytes(StandardCharsets.US_ASCII));
            if (equal && s > lastUsedStep && found < 0) found = s;
        }
        return found < 0 ? OptionalLong.empty() : OptionalLong.of(found);
    }
}
