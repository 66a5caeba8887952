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
 * words (the product name) and the e-mail's local part are refused outright, and so is any password a configured
 * Have I Been Pwned corpus lists ({@link BreachedPasswords}).
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

    private final Optional<BreachedPasswords> breached;

    /** @throws IllegalArgumentException when a breached-password corpus is configured but cannot be read */
    public PasswordPolicy(PasswordSettings settings) {
        this.settings = settings;
        this.breached = settings.breached().corpus().map(BreachedPasswords::open);
    }

    /** Whether a password accepted at login must be checked against the breach corpus. */
    public boolean checksAtLogin() {
        return settings.breached().atLogin() && breached.isPresent();
    }

    /** Whether the configured breach corpus lists this password (false without a corpus). */
    public boolean isBreached(Password password) {
        try {
            return breached.isPresent() && breached.get().isBreached(password);
        } catch (java.io.UncheckedIOException e) {
            throw new dev.doorman.support.ServiceUnavailable("the breached-password corpus cannot be read", e);
        }
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
        if (isBreached(password))
            return violation("password.breached", "This password appears in a list of passwords exposed in data breaches, so attackers "
                    + "try it first. Choose a different one.");
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
