package dev.doorman.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Random secrets and their stored form. Every bearer secret Doorman hands out (session ids, reset and
 * verification tokens) is 256 bits from SecureRandom; only its SHA-256 is ever stored, because a
 * high-entropy value needs no slow hash and a slow hash on the request path would cap throughput.
 */
public final class Secrets {
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private final SecureRandom random;

    public Secrets(SecureRandom random) {
        this.random = random;
    }

    /** A new 256-bit secret, base64url without padding (43 characters). */
    public String newToken() {
        return B64URL.encodeToString(newBytes(32));
    }

    public byte[] newBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    /** The form in which a secret is stored and looked up: lower-case hex SHA-256 of its UTF-8 bytes. */
    public static String hash(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }

    /** A shape check before any lookup: our tokens are exactly 43 base64url characters. */
    public static boolean looksLikeToken(String value) {
        return value != null && value.length() == 43 && value.chars().allMatch(Secrets::isBase64Url);
    }

    private static boolean isBase64Url(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }
}
