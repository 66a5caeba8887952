package dev.doorman.account;

import java.util.List;

/**
 * The password policy (NIST SP 800-63B-4) and the Argon2id cost.
 *
 * @param minLength    code points; 15 by default, 8 is the floor and only where MFA is enforced
 * @param maxLength    code points accepted; at least 64. Longer input is refused before hashing (DoS guard)
 * @param contextWords words a password must not contain besides the e-mail's local part (the product name, say)
 */
public record PasswordSettings(int minLength, int maxLength, Argon2Params argon2, List<String> contextWords) {
    public static final int ABSOLUTE_MIN = 8;

    public PasswordSettings {
        if (minLength < ABSOLUTE_MIN) throw new IllegalArgumentException("password minimum length must be at least " + ABSOLUTE_MIN);
        if (maxLength < 64) throw new IllegalArgumentException("password maximum length must allow at least 64 characters");
        if (maxLength > 1024) throw new IllegalArgumentException("password maximum length must be at most 1024 characters");
        if (minLength > maxLength) throw new IllegalArgumentException("password minimum length exceeds the maximum");
        contextWords = List.copyOf(contextWords);
    }

    public static PasswordSettings defaults() {
        return new PasswordSettings(15, 256, Argon2Params.defaults(), List.of("doorman"));
    }
}
