package dev.doorman.account;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * NIST SP 800-63B-4 password rules: a length window and a blocklist, nothing else (no composition rules).
 * The blocklist is the 30,000 most common passwords from zxcvbn4j's dictionaries, plus the predictable shapes
 * that list cannot hold at our minimum length: a common password padded with digits or symbols, a repeated
 * unit ({@code passwordpassword}), a run of sequential characters ({@code 123456789012345}), and context words
 * (the product name, the e-mail's local part).
 */
public final class PasswordPolicy {
    private static final String DICTIONARY = "/com/nulabinc/zxcvbn/matchers/dictionaries/passwords.txt";

    /** A broken rule, with a stable id for templates and logs and a message that names the rule. */
    public record Violation(String id, String message) { }

    private final PasswordSettings settings;
    private final Set<String> common;

    public PasswordPolicy(PasswordSettings settings) {
        this.settings = settings;
        this.common = loadDictionary();
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
        if (isCommon(lower))
            return violation("password.common", "Password is too common or too predictable; choose a longer phrase of unrelated words.");
        for (String word : settings.contextWords()) {
            if (!word.isBlank() && lower.contains(word.toLowerCase(Locale.ROOT)))
                return violation("password.context", "Password must not contain the word '" + word + "'.");
        }
        if (email.isPresent()) {
            String local = email.get().localPart();
            if (local.length() >= 3 && lower.contains(local))
                return violation("password.contains_email", "Password must not contain your e-mail address or its name part.");
        }
        return Optional.empty();
    }

    private boolean isCommon(String lower) {
        if (common.contains(lower) || isRepeated(lower) || isSequential(lower) || distinctCodePoints(lower) <= 3) return true;
        // A common word padded with digits or symbols ("password2025!", "!!qwertyuiop123").
        String core = stripPadding(lower);
        return !core.equals(lower) && core.length() >= 4
                && (common.contains(core) || isRepeated(core) || isSequential(core));
    }

    private static String stripPadding(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && !Character.isLetter(s.charAt(start))) start++;
        while (end > start && !Character.isLetter(s.charAt(end - 1))) end--;
        return s.substring(start, end);
    }

    /** The same unit written two or more times: "abcabcabcabcabc", "passwordpassword". */
    static boolean isRepeated(String s) {
        int n = s.length();
        for (int unit = 1; unit <= n / 2; unit++) {
            if (n % unit == 0 && s.substring(0, unit).repeat(n / unit).equals(s)) return true;
        }
        return false;
    }

    /** Every character one step up, or one step down, from the last (digits wrap 9 → 0). */
    static boolean isSequential(String s) {
        if (s.length() < 4) return false;
        int direction = step(s.charAt(0), s.charAt(1));
        if (direction == 0) return false;
        for (int i = 1; i < s.length(); i++) {
            if (step(s.charAt(i - 1), s.charAt(i)) != direction) return false;
        }
        return true;
    }

    private static int step(char a, char b) {
        if (Character.isDigit(a) && Character.isDigit(b)) {
            int d = Math.floorMod(b - a, 10);
            return d == 1 ? 1 : d == 9 ? -1 : 0;
        }
        return b - a == 1 ? 1 : b - a == -1 ? -1 : 0;
    }

    private static long distinctCodePoints(String s) {
        return s.codePoints().distinct().count();
    }

    private static Optional<Violation> violation(String id, String message) {
        return Optional.of(new Violation(id, message));
    }

    private static Set<String> loadDictionary() {
        var words = new HashSet<String>(40_000);
        try (var in = Objects.requireNonNull(PasswordPolicy.class.getResourceAsStream(DICTIONARY), "zxcvbn password dictionary");
             var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) words.add(line.strip().toLowerCase(Locale.ROOT));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the common-password list", e);
        }
        if (words.size() < 3_000) throw new IllegalStateException("the common-password list is too short: " + words.size());
        return Set.copyOf(words);
    }
}
