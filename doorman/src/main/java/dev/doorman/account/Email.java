package dev.doorman.account;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An e-mail address as Doorman keys accounts by it: trimmed and case-folded, so that {@code Alice@Example.org}
 * and {@code alice@example.org } are one account. The check is deliberately simple (one {@code @}, a dotted
 * domain, no spaces or control characters, RFC 5321 lengths): the verification mail is the real test.
 */
public record Email(String value) {
    private static final Pattern SHAPE = Pattern.compile("[^@\\s\\p{Cntrl}\"(),:;<>\\[\\]\\\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");

    public Email {
        value = value.strip().toLowerCase(Locale.ROOT);
        if (!valid(value)) throw new IllegalArgumentException("not a valid e-mail address");
    }

    public static Optional<Email> parse(String raw) {
        if (raw == null) return Optional.empty();
        String v = raw.strip().toLowerCase(Locale.ROOT);
        return valid(v) ? Optional.of(new Email(v)) : Optional.empty();
    }

    private static boolean valid(String v) {
        if (v.length() > 254) return false;
        int at = v.indexOf('@');
        return at > 0 && at <= 64 && SHAPE.matcher(v).matches();
    }

    public String localPart() {
        return value.substring(0, value.indexOf('@'));
    }

    @Override
    public String toString() {
        return value;
    }
}
