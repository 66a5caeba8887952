package dev.doorman.examples.payments;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * What the payer asks for, checked once here. {@code amount} is in minor units (cents), 1 to 10^12.
 *
 * @throws IllegalArgumentException with a message for the payer when a field is out of bounds
 */
public record PaymentRequest(String fromAccount, String payee, long amount, String currency, String reference) {
    private static final Pattern ACCOUNT_ID = Pattern.compile("acc_[A-Za-z0-9_-]{22}");
    private static final Pattern PAYEE = Pattern.compile("[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}");   // an IBAN's shape
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    public static final long MAX_AMOUNT = 1_000_000_000_000L;

    public PaymentRequest {
        if (!ACCOUNT_ID.matcher(fromAccount).matches()) throw new IllegalArgumentException("'fromAccount' is not an account id.");
        if (!PAYEE.matcher(payee).matches()) throw new IllegalArgumentException("'payee' must be an IBAN (capital letters and digits, no spaces).");
        if (amount < 1 || amount > MAX_AMOUNT) throw new IllegalArgumentException("'amount' must be a whole number of cents from 1 to " + MAX_AMOUNT + ".");
        if (!CURRENCY.matcher(currency).matches()) throw new IllegalArgumentException("'currency' must be a three-letter ISO 4217 code.");
        if (reference.length() > 140 || reference.chars().anyMatch(Character::isISOControl))
            throw new IllegalArgumentException("'reference' must be at most 140 characters without control characters.");
    }

    /**
     * The request's fingerprint for the Idempotency-Key check: over the parsed values, so the same payment
     * sent with other whitespace or field order is the same request.
     */
    public String fingerprint() {
        String canonical = String.join("\u001f", fromAccount, payee, Long.toString(amount), currency, reference);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }

    static boolean looksLikeAccountId(String id) {
        return id != null && ACCOUNT_ID.matcher(id).matches();
    }
}
