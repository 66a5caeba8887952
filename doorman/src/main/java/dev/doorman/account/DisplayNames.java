package dev.doorman.account;

import java.text.Normalizer;
import java.util.Optional;

/** Display names: optional, NFC-normalized, trimmed, at most 200 characters, no control characters. */
public final class DisplayNames {
    public static final int MAX = 200;

    private DisplayNames() {
    }

    /** @throws IllegalArgumentException with a message for the user */
    public static Optional<String> parse(String raw) {
        if (raw == null) return Optional.empty();
        String name = Normalizer.normalize(raw, Normalizer.Form.NFC).strip();
        if (name.isEmpty()) return Optional.empty();
        if (name.codePointCount(0, name.length()) > MAX) throw new IllegalArgumentException("Name must be at most " + MAX + " characters.");
        if (name.codePoints().anyMatch(c -> Character.getType(c) == Character.CONTROL || Character.getType(c) == Character.FORMAT && c != 0x200D))
            throw new IllegalArgumentException("Name must not contain control characters.");
        return Optional.of(name);
    }
}
