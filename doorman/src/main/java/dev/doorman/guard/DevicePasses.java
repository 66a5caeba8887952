package dev.doorman.guard;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Signed cookies that tell the login guard a browser has proved itself for one account (OWASP's device cookies):
 * {@link Kind#DEVICE} after a correct password, {@link Kind#UNLOCK} after the owner used a mailed unlock link. Each is
 * an HMAC over its kind, the account key, a random device id and an expiry; no server state. A pass only changes which
 * throttles apply to that account from that browser, never the password check.
 */
public final class DevicePasses {
    public enum Kind {
        /** Earned by a correct password: spared the signals that strangers trip (a failure burst, an account under attack). */
        DEVICE("doorman_device"),
        /** Earned through the owner's mailbox: spared every lockout and challenge for the account. */
        UNLOCK("doorman_unlock");

        private final String cookie;

        Kind(String cookie) {
            this.cookie = cookie;
        }

        /** The cookie's name without the {@code __Host-} prefix production adds. */
        public String cookie() {
            return cookie;
        }
    }

    private final byte[] key;
    private final Clock clock;
    private final Duration deviceTtl;
    private final Duration unlockTtl;
    private final IntFunction<byte[]> random;

    /** @param random returns n random bytes (the device id) */
    public DevicePasses(byte[] key, Clock clock, Duration deviceTtl, Duration unlockTtl, IntFunction<byte[]> random) {
        this.key = key.clone();
        this.clock = clock;
        this.deviceTtl = deviceTtl;
        this.unlockTtl = unlockTtl;
        this.random = random;
    }

    public String issue(Kind kind, String accountKey) {
        String payload = kind.name() + "." + accountKey + "." + HexFormat.of().formatHex(random.apply(12)) + "."
                + clock.instant().plus(ttl(kind)).getEpochSecond();
        return payload + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(payload));
    }

    public Duration ttl(Kind kind) {
        return kind == Kind.DEVICE ? deviceTtl : unlockTtl;
    }

    /** The device id of {@code pass} if it is a live pass of this kind for this account; empty for anything else. */
    public Optional<String> device(String pass, Kind kind, String accountKey) {
        if (pass == null || pass.length() > 300) return Optional.empty();
        String[] parts = pass.split("\\.", -1);
        if (parts.length != 5 || !parts[0].equals(kind.name()) || !parts[1].equals(accountKey)) return Optional.empty();
        byte[] sig;
        long expires;
        try {
            sig = Base64.getUrlDecoder().decode(parts[4]);
            expires = Long.parseLong(parts[3]);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String payload = String.join(".", parts[0], parts[1], parts[2], parts[3]);
        boolean live = MessageDigest.isEqual(sig, mac(payload)) && clock.instant().isBefore(Instant.ofEpochSecond(expires));
        return live ? Optional.of(parts[2]) : Optional.empty();
    }

    private byte[] mac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update("device-pass:".getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
