package dev.doorman.examples.payments;

import java.util.List;
import java.util.Optional;

/** The app's own tables: accounts, payments, idempotency keys and the audit trail. */
public interface PaymentStore {
    /** A response stored under an Idempotency-Key, with the fingerprint of the request that paid. */
    record StoredResponse(String requestHash, int status, String paymentId, String response) { }

    void openAccount(Account account, AuditEntry audit);

    Optional<Account> account(String id);

    List<Account> accountsOf(String ownerId);

    List<Payment> paymentsOf(String payerId);

    Optional<StoredResponse> stored(String userId, IdempotencyKey key);

    /**
     * In one transaction: if the key is still free, records the payment, the key with its response and the audit
     * line, and returns empty; if a concurrent request took the key first, changes nothing and returns its response.
     */
    Optional<StoredResponse> payOnce(IdempotencyKey key, String requestHash, Payment payment, String response, AuditEntry audit);

    void audit(AuditEntry entry);

    List<AuditEntry> auditTrail();
}
