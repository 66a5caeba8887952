package dev.doorman.examples.payments;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The client's {@code Idempotency-Key} header: 8 to 128 characters of letters, digits and {@code - _ . :}
 * (a UUID fits). Keys are scoped per user: two users may use the same key without meeting.
 */
public record IdempotencyKey(String value) {
    public static final String HEADER = "Idempotency-Key";
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9._:-]{8,128}");

    public static Optional<IdempotencyKey> parse(String header) {
        return header != null && SHAPE.matcher(header).matches() ? Optional.of(new IdempotencyKey(header)) : Optional.empty();
    }
}
