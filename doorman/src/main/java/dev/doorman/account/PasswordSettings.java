package dev.doorman.account;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The password policy (NIST SP 800-63B-4) and the Argon2id cost.
 *
 * @param minLength    code points; 15 by default, 8 is the floor and only where MFA is enforced
 * @param maxLength    code points accepted; at least 64. Longer input is refused before hashing (DoS guard)
 * @param contextWords words a password must not contain besides the e-mail's local part (the product name, say)
 * @param breached     a local Have I Been Pwned corpus in the range format to refuse breached passwords from; and
 *                     whether a password accepted at login is checked too (a hit forces a change)
 */
public record PasswordSettings(int minLength, int maxLength, Argon2Params argon2, List<String> contextWords, BreachedCheck breached) {
    /**
     * @param corpus  a directory of files named by the 5 hex digits of a SHA-1 prefix ({@code 5BAA6} or {@code 5BAA6.txt}),
     *                each line {@code SUFFIX:COUNT}; empty: no breach check beyond the common-password list
     * @param atLogin also check at login, and make an account whose password is found change it before anything else
     */
    public record BreachedCheck(Optional<Path> corpus, boolean atLogin) {
        public BreachedCheck {
            Objects.requireNonNull(corpus, "corpus");
            if (atLogin && corpus.isEmpty()) throw new IllegalArgumentException("the breached-password check at login needs a corpus directory");
        }

        public static BreachedCheck none() {
            return new BreachedCheck(Optional.empty(), false);
        }
    }

    public PasswordSettings(int minLength, int maxLength, Argon2Params argon2, List<String> contextWords) {
        this(minLength, maxLength, argon2, contextWords, BreachedCheck.none());
    }

    public static final int ABSOLUTE_MIN = 8;

    public PasswordSettings {
        if (minLength < ABSOLUTE_MIN) throw new IllegalArgumentException("password minimum length must be at least " + ABSOLUTE_MIN);
        if (maxLength < 64) throw new IllegalArgumentException("password maximum length must allow at least 64 characters");
        if (maxLength > 1024) throw new IllegalArgumentException("password maximum length must be at most 1024 characters");
        if (minLength > maxLength) throw new IllegalArgumentException("password minimum length exceeds the maximum");
        contextWords = List.copyOf(contextWords);
        Objects.requireNonNull(breached, "breached");
    }

    public PasswordSettings withBreached(BreachedCheck breached) {
        return new PasswordSettings(minLength, maxLength, argon2, contextWords, breached);
    }

    public static PasswordSettings defaults() {
        return new PasswordSettings(15, 256, Argon2Params.defaults(), List.of("doorman"));
    }
}
