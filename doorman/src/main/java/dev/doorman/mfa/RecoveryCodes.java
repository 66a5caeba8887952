package dev.doorman.mfa;

import dev.doorman.support.Secrets;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Recovery codes: 24 base32 characters (120 random bits) shown in four groups of six. With that much entropy a
 * SHA-256 is enough to store them (MF-02 asks for a password hash only below 112 bits), and a lookup by hash makes
 * the single use an atomic delete.
 */
public final class RecoveryCodes {
    public static final int COUNT = 10;
    private static final int BYTES = 15;
    private static final int CHARS = 24;

    private RecoveryCodes() {
    }

    /** Ten new codes, formatted for display. */
    public static List<String> generate(Secrets secrets) {
        var codes = new ArrayList<String>(COUNT);
        for (int i = 0; i < COUNT; i++) {
            String raw = Base32.encode(secrets.newBytes(BYTES)).toLowerCase(Locale.ROOT);
            codes.add(raw.substring(0, 6) + "-" + raw.substring(6, 12) + "-" + raw.substring(12, 18) + "-" + raw.substring(18, 24));
        }
        return codes;
    }

    /** What a user typed, reduced to the canonical form (case, spaces and dashes do not matter); empty when it cannot be a code. */
    public static Optional<String> normalize(String typed) {
        if (typed == null || typed.length() > 64) return Optional.empty();
        String code = typed.replaceAll("[\\s-]", "").toLowerCase(Locale.ROOT);
        if (code.length() != CHARS || !code.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'))) return Optional.empty();
        return Optional.of(code);
    }

    /** The stored form of a (normalized) code. */
    public static String hash(String normalized) {
        return Secrets.hash("recovery|" + normalized);
    }
}
