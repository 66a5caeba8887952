package dev.doorman.keys;

import java.util.Objects;

/**
 * A signing key's {@code kid}: random, base64url, at most 64 characters. A {@code kid} in a received token header is
 * untrusted input (JW-03); this shape check lets nothing else through to a lookup.
 */
public record KeyId(String value) {
    public KeyId {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty() || value.length() > 64 || !value.chars().allMatch(KeyId::isBase64Url))
            throw new IllegalArgumentException("a key id is 1 to 64 base64url characters");
    }

    private static boolean isBase64Url(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    @Override
    public String toString() {
        return value;
    }
}
