package dev.doorman.client;

import java.util.Base64;
import java.util.Optional;

/**
 * Checks on a {@code client_assertion} string that Nimbus does not make (SECURITY.md, "JWT verification: what Nimbus
 * does not do for you"): a size cap, and strict compact form with canonical base64url, so that an assertion cannot be
 * altered and still verify. The token endpoint should call {@link #problem} on the raw parameter before Nimbus parses
 * it; {@link DefaultClientAuthenticator} applies it again to the string Nimbus parsed.
 */
public final class ClientAssertions {
    /** 8 KiB: far more than an RS256 assertion needs (about 1 KiB with a 4096-bit key). */
    public static final int MAX_LENGTH = 8 * 1024;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private ClientAssertions() {
    }

    /** Why this is not a well-formed compact JWS we would look at, or empty. */
    public static Optional<String> problem(String assertion) {
        if (assertion == null || assertion.isEmpty()) return Optional.of("empty");
        if (assertion.length() > MAX_LENGTH) return Optional.of("longer than " + MAX_LENGTH + " characters");
        String[] parts = assertion.split("\\.", -1);
        if (parts.length != 3) return Optional.of("not a compact JWS: three base64url parts separated by dots");
        String[] names = {"header", "payload", "signature"};
        for (int i = 0; i < 3; i++) {
            String part = parts[i];
            if (part.isEmpty()) return Optional.of("the " + names[i] + " is empty");
            if (!part.chars().allMatch(ClientAssertions::isBase64Url))
                return Optional.of("the " + names[i] + " is not base64url (A-Z a-z 0-9 - _, no padding)");
            if (part.length() % 4 == 1) return Optional.of("the " + names[i] + " is not canonical base64url");
            byte[] decoded = DECODER.decode(part);
            if (!ENCODER.encodeToString(decoded).equals(part)) return Optional.of("the " + names[i] + " is not canonical base64url");
            if (i < 2 && startsWithByteOrderMark(decoded)) return Optional.of("the " + names[i] + " starts with a byte-order mark");
        }
        return Optional.empty();
    }

    private static boolean isBase64Url(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    private static boolean startsWithByteOrderMark(byte[] b) {
        return b.length >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF;
    }
}
