package dev.doorman.examples.payments;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.doorman.authz.AccessRequest;
import dev.doorman.authz.Action;
import dev.doorman.authz.Authorizer;
import dev.doorman.authz.Decision;
import dev.doorman.authz.Resource;
import dev.doorman.authz.Subject;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Payments with the policy engine asked first: may the caller debit the source account (no: 404, as for an account
 * that does not exist), then may they make a payment of this amount (no: 403). An Idempotency-Key makes a retried
 * request pay once. Every payment, replay and refusal is written to the audit trail.
 */
public final class PaymentsService {
    /** The policy rule whose denial means "over the limit": answered 403 with what would allow it. */
    public static final String APPROVAL_RULE = "large-payments-need-an-approver-or-a-fresh-second-factor";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PaymentStore store;
    private final Authorizer authorizer;
    private final long limit;
    private final Clock clock;

    /** @param limit the largest amount (minor units) anyone may pay without the approver role or a step-up */
    public PaymentsService(PaymentStore store, Authorizer authorizer, long limit, Clock clock) {
        this.store = store;
        this.authorizer = authorizer;
        this.limit = limit;
        this.clock = clock;
    }

    public long limit() {
        return limit;
    }

    /** Empty when the policy refuses (a caller that is not a person). */
    public Optional<Account> openAccount(Subject caller, String name, String ip) {
        String id = newId("acc_");
        if (!allowed(caller, "account:create", Resource.of("account", id, Map.of("ownerId", caller.id())), Map.of())) {
            store.audit(AuditEntry.refusal(Optional.of(caller.id()), "account_create_denied", ip));
            return Optional.empty();
        }
        var account = new Account(id, caller.id(), name, now());
        store.openAccount(account, new AuditEntry(Optional.of(caller.id()), "account_opened", Optional.empty(), Optional.empty(),
                Optional.of(id), Optional.empty(), Optional.empty(), ip));
        return Optional.of(account);
    }

    public List<Account> accounts(Subject caller) {
        return store.accountsOf(caller.id()).stream()
                .filter(a -> allowed(caller, "account:read", Resource.of("account", a.id(), Map.of("ownerId", a.ownerId())), Map.of()))
                .toList();
    }

    public List<Payment> payments(Subject caller) {
        return store.paymentsOf(caller.id());
    }

    public PaymentOutcome pay(Subject caller, IdempotencyKey key, PaymentRequest request, String ip) {
        String fingerprint = request.fingerprint();
        Optional<PaymentStore.StoredResponse> earlier = store.stored(caller.id(), key);
        if (earlier.isPresent()) return replay(caller, key, fingerprint, earlier.get(), ip);

        Optional<Account> account = store.account(request.fromAccount());
        boolean mayDebit = account.isPresent() && allowed(caller, "account:debit",
                Resource.of("account", account.get().id(), Map.of("ownerId", account.get().ownerId())), Map.of());
        if (!mayDebit) {
            refuse(caller, account.isEmpty() ? "account_not_found" : "not_account_holder", request, key, ip);
            return new PaymentOutcome.AccountNotFound();
        }
        Decision decision = authorizer.decide(new AccessRequest(caller, Action.parse("payment:create"),
                Resource.of("payment", "new", Map.of("accountId", request.fromAccount())),
                Map.of("amount", request.amount(), "limit", limit)));
        if (decision.denied()) {
            if (decision.reason() instanceof Decision.Reason.DeniedByRule rule && rule.rule().equals(APPROVAL_RULE)) {
                refuse(caller, "approval_required", request, key, ip);
                return new PaymentOutcome.NeedsApproval(limit);
            }
            refuse(caller, "policy_denied", request, key, ip);
            return new PaymentOutcome.Refused(decision.reason().describe());
        }

        var payment = new Payment(newId("pay_"), caller.id(), request.fromAccount(), request.payee(), request.amount(), request.currency(),
                request.reference(), decision.reason().source().orElse("policy"), now());
        String response = json(payment);
        var audit = new AuditEntry(Optional.of(caller.id()), "payment_created", Optional.of("decided by " + payment.decidedBy()),
                Optional.of(payment.id()), Optional.of(payment.fromAccount()), Optional.of(payment.amount()), Optional.of(key.value()), ip);
        Optional<PaymentStore.StoredResponse> raced = store.payOnce(key, fingerprint, payment, response, audit);
        if (raced.isPresent()) return replay(caller, key, fingerprint, raced.get(), ip);   // a concurrent duplicate paid first
        return new PaymentOutcome.Paid(201, payment.id(), response, false);
    }

    private PaymentOutcome replay(Subject caller, IdempotencyKey key, String fingerprint, PaymentStore.StoredResponse earlier, String ip) {
        if (!earlier.requestHash().equals(fingerprint)) {
            store.audit(new AuditEntry(Optional.of(caller.id()), "payment_refused", Optional.of("idempotency_key_reused"),
                    Optional.of(earlier.paymentId()), Optional.empty(), Optional.empty(), Optional.of(key.value()), ip));
            return new PaymentOutcome.KeyReused();
        }
        store.audit(new AuditEntry(Optional.of(caller.id()), "payment_replayed", Optional.empty(), Optional.of(earlier.paymentId()),
                Optional.empty(), Optional.empty(), Optional.of(key.value()), ip));
        return new PaymentOutcome.Paid(earlier.status(), earlier.paymentId(), earlier.response(), true);
    }

    private void refuse(Subject caller, String reason, PaymentRequest request, IdempotencyKey key, String ip) {
        store.audit(new AuditEntry(Optional.of(caller.id()), "payment_refused", Optional.of(reason), Optional.empty(),
                Optional.of(request.fromAccount()), Optional.of(request.amount()), Optional.of(key.value()), ip));
    }

    private boolean allowed(Subject caller, String action, Resource resource, Map<String, Object> context) {
        return authorizer.isAllowed(new AccessRequest(caller, Action.parse(action), resource, context));
    }

    static String json(Payment p) {
        return JSON.createObjectNode().put("id", p.id()).put("fromAccount", p.fromAccount()).put("payee", p.payee())
                .put("amount", p.amount()).put("currency", p.currency()).put("reference", p.reference())
                .put("createdAt", p.createdAt().toString()).toString();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** 128 random bits. */
    private static String newId(String prefix) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
