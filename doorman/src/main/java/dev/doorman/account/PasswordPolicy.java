package dev.doorman.account;

import com.nulabinc.zxcvbn.Zxcvbn;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.Optional;

/**
 * NIST SP 800-63B-4 password rules: a length window and a blocklist, nothing else (no composition rules).
 * The blocklist is zxcvbn4j's estimate of how many guesses a password takes: its 30,000 most common passwords,
 * English words and names, keyboard walks, repeats, sequences and dates. A password that an attacker's
 * dictionary-and-pattern cracker finds within 10^10 guesses counts as common, so {@code passwordpassword},
 * {@code 123456789012345} and {@code Password2025!!!!} are refused while a few unrelated words pass. Context
 * words (the product name) and the e-mail's local part are refused outright.
 */
public final class PasswordPolicy {
    /** 10^10 guesses: beyond any online attack, and days of Argon2id work per account offline. */
    private static final double MIN_GUESSES_LOG10 = 10.0;
    /** zxcvbn's matching grows quadratically; a password whose first 64 characters are strong is strong. */
    private static final int ESTIMATE_PREFIX = 64;

    /** A broken rule, with a stable id for templates and logs and a message that names the rule. */
    public record Violation(String id, String message) { }

    private final PasswordSettings settings;
    /** Loading zxcvbn's dictionaries takes ~200 ms: done off the start-up path, awaited by the first check. */
    private final CompletableFuture<Zxcvbn> estimator =
            CompletableFuture.supplyAsync(Zxcvbn::new, task -> Thread.ofVirtual().name("doorman-password-dictionaries").start(task));

    public PasswordPolicy(PasswordSettings settings) {
        this.settings = settings;
    }

    public int minLength() {
        return settings.minLength();
    }

    public int maxLength() {
        return settings.maxLength();
    }

    /** The first rule the password breaks, if any. {@code email} may be empty where it is not known. */
    public Optional<Violation> check(Password password, Optional<Email> email) {
        int length = password.length();
        if (length < settings.minLength())
            return violation("password.too_short", "Password must be at least " + settings.minLength() + " characters long.");
        if (length > settings.maxLength())
            return violation("password.too_long", "Password must be at most " + settings.maxLength() + " characters long.");
        String lower = password.value().toLowerCase(Locale.ROOT);
        for (String word : settings.contextWords()) {
            if (!word.isBlank() && lower.contains(word.toLowerCase(Locale.ROOT)))
                return violation("password.context", "Password must not contain the word '" + word + "'.");
        }
        if (email.isPresent()) {
            String local = email.get().localPart();
            if (local.length() >= 3 && lower.contains(local))
                return violation("password.contains_email", "Password must not contain your e-mail address or its name part.");
        }
        if (estimator.join().measure(prefix(password.value())).getGuessesLog10() < MIN_GUESSES_LOG10)
            return violation("password.common", "Password is too common or too predictable; choose a longer phrase of unrelated words.");
        return Optional.empty();
    }

    private static String prefix(String s) {
        return s.codePointCount(0, s.length()) <= ESTIMATE_PREFIX ? s : s.substring(0, s.offsetByCodePoints(0, ESTIMATE_PREFIX));
    }

    private static Optional<Violation> violation(String id, String message) {
        return Optional.of(new Violation(id, message));
    }
}
