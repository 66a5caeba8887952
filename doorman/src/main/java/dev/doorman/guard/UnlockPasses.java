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

/**
 * What the browser that used a mailed unlock link carries (a cookie): an HMAC over the account key and an expiry.
 * It exempts that browser, for that account, from the lockouts and challenges; never from the password check.
 */
public final class UnlockPasses {
    public static final String COOKIE = "doorman_unlock";

    private final byte[] key;
    private final Clock clock;
    private final Duration ttl;

    public UnlockPasses(byte[] key, Clock clock, Duration ttl) {
        this.key = key.clone();
        this.clock = clock;
        this.ttl = ttl;
    }

    public String issue(String accountKey) {
        String payload = accountKey + "." + clock.instant().plus(ttl).getEpochSecond();
        return payload + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(payload));
    }

    public Duration ttl() {
        return ttl;
    }

    /** Whether {@code pass} is a live pass for this account. */
    public boolean admits(String pass, String accountKey) {
        if (pass == null || pass.length() > 200) return false;
        String[] parts = pass.split("\\.", -1);
        if (parts.length != 3 || !parts[0].equals(accountKey)) return false;
        byte[] sig;
        long expires;
        try {
            sig = Base64.getUrlDecoder().decode(parts[2]);
            expires = Long.parseLong(parts[1]);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(sig, mac(parts[0] + "." + parts[1])) && clock.instant().isBefore(Instant.ofEpochSecond(expires));
    }

    private byte[] mac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update("unlock:".getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
