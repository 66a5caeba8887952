package dev.doorman.examples.payments;

import java.util.Optional;

/**
 * One line of the payments audit trail.
 *
 * @param event  payment_created, payment_replayed, payment_refused or account_opened
 * @param reason why a refusal happened (not_owner, approval_required, idempotency_key_reused, cross_site, ...)
 */
public record AuditEntry(Optional<String> userId, String event, Optional<String> reason, Optional<String> paymentId,
                         Optional<String> accountId, Optional<Long> amount, Optional<String> idempotencyKey, String ip) {
    public static AuditEntry refusal(Optional<String> userId, String reason, String ip) {
        return new AuditEntry(userId, "payment_refused", Optional.of(reason), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), ip);
    }
}
