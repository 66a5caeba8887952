package dev.doorman.account;

import java.text.Normalizer;

/**
 * A password as typed, normalized to NFKC so that a precomposed é and e + U+0301 are the same password.
 * Never truncated, never case-folded; {@link #toString()} never shows it.
 */
public record Password(String value) {
    public Password {
        value = Normalizer.normalize(value, Normalizer.Form.NFKC);
    }

    /** Length in Unicode code points, as NIST counts characters. */
    public int length() {
        return value.codePointCount(0, value.length());
    }

    @Override
    public String toString() {
        return "Password[redacted]";
    }
}
