package dev.doorman.examples.payments;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The tables in SQLite through JDBI. Transactions are IMMEDIATE (Doorman's Database sets that up), so a
 * payment's key check and its inserts cannot interleave with another request's.
 */
public final class JdbiPaymentStore implements PaymentStore {
    private final Jdbi jdbi;
    private final Clock clock;

    public JdbiPaymentStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    @Override
    public void openAccount(Account account, AuditEntry audit) {
        jdbi.useTransaction(h -> {
            h.createUpdate("INSERT INTO accounts (id, owner_id, name, created_at) VALUES (:id, :owner, :name, :at)")
                    .bind("id", account.id()).bind("owner", account.ownerId()).bind("name", account.name())
                    .bind("at", account.createdAt().toString()).execute();
            insertAudit(h, audit);
        });
    }

    @Override
    public Optional<Account> account(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM accounts WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> new Account(rs.getString("id"), rs.getString("owner_id"), rs.getString("name"),
                        Instant.parse(rs.getString("created_at")))).findOne());
    }

    @Override
    public List<Account> accountsOf(String ownerId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM accounts WHERE owner_id = :owner ORDER BY created_at, id").bind("owner", ownerId)
                .map((rs, ctx) -> new Account(rs.getString("id"), rs.getString("owner_id"), rs.getString("name"),
                        Instant.parse(rs.getString("created_at")))).list());
    }

    @Override
    public List<Payment> paymentsOf(String payerId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM payments WHERE payer_id = :payer ORDER BY created_at DESC, id").bind("payer", payerId)
                .map((rs, ctx) -> new Payment(rs.getString("id"), rs.getString("payer_id"), rs.getString("from_account"), rs.getString("payee"),
                        rs.getLong("amount"), rs.getString("currency"), rs.getString("reference"), rs.getString("decided_by"),
                        Instant.parse(rs.getString("created_at")))).list());
    }

    @Override
    public Optional<StoredResponse> stored(String userId, IdempotencyKey key) {
        return jdbi.withHandle(h -> stored(h, userId, key));
    }

    private static Optional<StoredResponse> stored(Handle h, String userId, IdempotencyKey key) {
        return h.createQuery("SELECT request_hash, status, payment_id, response FROM idempotency_keys WHERE user_id = :user AND idem_key = :key")
                .bind("user", userId).bind("key", key.value())
                .map((rs, ctx) -> new StoredResponse(rs.getString("request_hash"), rs.getInt("status"), rs.getString("payment_id"),
                        rs.getString("response"))).findOne();
    }

    @Override
    public Optional<StoredResponse> payOnce(IdempotencyKey key, String requestHash, Payment payment, String response, AuditEntry audit) {
        return jdbi.inTransaction(h -> {
            Optional<StoredResponse> first = stored(h, payment.payerId(), key);
            if (first.isPresent()) return first;
            h.createUpdate("INSERT INTO payments (id, payer_id, from_account, payee, amount, currency, reference, decided_by, created_at) "
                            + "VALUES (:id, :payer, :from, :payee, :amount, :currency, :reference, :decidedBy, :at)")
                    .bind("id", payment.id()).bind("payer", payment.payerId()).bind("from", payment.fromAccount())
                    .bind("payee", payment.payee()).bind("amount", payment.amount()).bind("currency", payment.currency())
                    .bind("reference", payment.reference()).bind("decidedBy", payment.decidedBy())
                    .bind("at", payment.createdAt().toString()).execute();
            h.createUpdate("INSERT INTO idempotency_keys (user_id, idem_key, request_hash, payment_id, status, response, created_at) "
                            + "VALUES (:user, :key, :hash, :payment, 201, :response, :at)")
                    .bind("user", payment.payerId()).bind("key", key.value()).bind("hash", requestHash).bind("payment", payment.id())
                    .bind("response", response).bind("at", payment.createdAt().toString()).execute();
            insertAudit(h, audit);
            return Optional.<StoredResponse>empty();
        });
    }

    @Override
    public void audit(AuditEntry entry) {
        jdbi.useHandle(h -> insertAudit(h, entry));
    }

    private void insertAudit(Handle h, AuditEntry e) {
        h.createUpdate("INSERT INTO payment_audit (at, user_id, event, reason, payment_id, account_id, amount, idem_key, ip) "
                        + "VALUES (:at, :user, :event, :reason, :payment, :account, :amount, :key, :ip)")
                .bind("at", clock.instant().toString()).bind("user", e.userId().orElse(null)).bind("event", e.event())
                .bind("reason", e.reason().orElse(null)).bind("payment", e.paymentId().orElse(null))
                .bind("account", e.accountId().orElse(null)).bind("amount", e.amount().orElse(null))
                .bind("key", e.idempotencyKey().orElse(null)).bind("ip", e.ip()).execute();
    }

    @Override
    public List<AuditEntry> auditTrail() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM payment_audit ORDER BY seq")
                .map((rs, ctx) -> {
                    long amount = rs.getLong("amount");
                    Optional<Long> maybeAmount = rs.wasNull() ? Optional.empty() : Optional.of(amount);
                    return new AuditEntry(Optional.ofNullable(rs.getString("user_id")), rs.getString("event"),
                            Optional.ofNullable(rs.getString("reason")), Optional.ofNullable(rs.getString("payment_id")),
                            Optional.ofNullable(rs.getString("account_id")), maybeAmount,
                            Optional.ofNullable(rs.getString("idem_key")), rs.getString("ip"));
                }).list());
    }
}
