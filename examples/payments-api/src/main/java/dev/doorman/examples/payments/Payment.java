package dev.doorman.examples.payments;

import java.time.Instant;

/**
 * A payment made. {@code decidedBy} is the policy rule or role that allowed it, kept for the audit trail.
 */
public record Payment(String id, String payerId, String fromAccount, String payee, long amount, String currency,
                      String reference, String decidedBy, Instant createdAt) {
}
