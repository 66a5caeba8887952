package dev.doorman.guard;

import dev.doorman.support.Secrets;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A hashcash-style challenge: find a nonce such that SHA-256(challenge || nonce) starts with {@code bits} zero bits.
 * A browser does it in a second with a small same-origin script; a script guessing passwords pays it on every guess.
 * The challenge is issued by the server and HMAC-signed (no state until it is used), bound to the source and the form
 * it was issued for, expires, and is spent on first use (through {@link Limit#CHALLENGE_SPENT}, so on every node).
 */
public final class ProofOfWork {
    /** A challenge to hand out: the opaque value and the difficulty. */
    public record Challenge(String value, int bits) { }

    /** Why a presented solution was refused (stable ids for the audit trail). */
    public enum Failure { MALFORMED, FORGED, EXPIRED, WRONG_SOURCE, WRONG_FORM, TOO_EASY, NOT_SOLVED, ALREADY_USED }

    private static final Pattern NONCE = Pattern.compile("[0-9A-Za-z]{1,32}");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final int MAX_CHALLENGE = 256;

    private final byte[] key;
    private final RateLimits limits;
    private final Clock clock;
    private final Secrets secrets;
    private final Duration ttl;

    public ProofOfWork(byte[] key, RateLimits limits, Clock clock, Secrets secrets, Duration ttl) {
        if (ttl.compareTo(limits.spec(Limit.CHALLENGE_SPENT).longestPeriod()) > 0)
            throw new IllegalArgumentException("a challenge may live at most " + limits.spec(Limit.CHALLENGE_SPENT).longestPeriod());
        this.key = key.clone();
        this.limits = limits;
        this.clock = clock;
        this.secrets = secrets;
        this.ttl = ttl;
    }

    /** @param form what the challenge is for, e.g. {@code login}; a challenge for one form is refused by another */
    public Challenge issue(String form, String sourceKey, int bits) {
        long expires = clock.instant().plus(ttl).getEpochSecond();
        String payload = "v1." + B64.encodeToString(secrets.newBytes(12)) + "." + expires + "." + bits + "." + bind(form, sourceKey);
        return new Challenge(payload + "." + B64.encodeToString(mac(payload)), bits);
    }

    /** Empty when the solution is good (and it is now spent), else why not. */
    public Optional<Failure> verify(String challenge, String nonce, String form, String sourceKey, int requiredBits) {
        if (challenge == null || nonce == null || challenge.length() > MAX_CHALLENGE || !NONCE.matcher(nonce).matches())
            return Optional.of(Failure.MALFORMED);
        String[] parts = challenge.split("\\.", -1);
        if (parts.length != 6 || !"v1".equals(parts[0])) return Optional.of(Failure.MALFORMED);
        String payload = String.join(".", parts[0], parts[1], parts[2], parts[3], parts[4]);
        byte[] sig;
        try {
            sig = B64D.decode(parts[5]);
        } catch (IllegalArgumentException e) {
            return Optional.of(Failure.MALFORMED);
        }
        if (!MessageDigest.isEqual(sig, mac(payload))) return Optional.of(Failure.FORGED);
        long expires;
        int bits;
        try {
            expires = Long.parseLong(parts[2]);
            bits = Integer.parseInt(parts[3]);
        } catch (NumberFormatException e) {
            return Optional.of(Failure.MALFORMED);
        }
        if (!clock.instant().isBefore(Instant.ofEpochSecond(expires))) return Optional.of(Failure.EXPIRED);
        if (!parts[4].equals(bind(form, sourceKey))) {
            return Optional.of(parts[4].startsWith(formTag(form)) ? Failure.WRONG_SOURCE : Failure.WRONG_FORM);
        }
        if (bits < requiredBits) return Optional.of(Failure.TOO_EASY);
        if (leadingZeroBits(sha256(challenge + nonce)) < bits) return Optional.of(Failure.NOT_SOLVED);
        if (!limits.tryConsume(Limit.CHALLENGE_SPENT, parts[1]).allowed()) return Optional.of(Failure.ALREADY_USED);
        return Optional.empty();
    }

    /** What a browser does, for tests and the load driver: the first nonce that solves the challenge. */
    public static String solve(String challenge, int bits) {
        for (long n = 0; ; n++) {
            String nonce = Long.toString(n, 36);
            if (leadingZeroBits(sha256(challenge + nonce)) >= bits) return nonce;
        }
    }

    private String bind(String form, String sourceKey) {
        return formTag(form) + HexFormat.of().formatHex(mac("source:" + sourceKey), 0, 8);
    }

    private String formTag(String form) {
        return HexFormat.of().formatHex(mac("form:" + form), 0, 4);
    }

    static int leadingZeroBits(byte[] hash) {
        int bits = 0;
        for (byte b : hash) {
            if (b == 0) {
                bits += 8;
                continue;
            }
            return bits + Integer.numberOfLeadingZeros(b & 0xff) - 24;
        }
        return bits;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] mac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
