package dev.doorman.examples.payments;

/** What came of a POST /api/payments. Every case is audited by the service. */
public sealed interface PaymentOutcome {
    /** Paid now, or earlier under the same key with the same request ({@code replayed}): the original response. */
    record Paid(int status, String paymentId, String response, boolean replayed) implements PaymentOutcome { }

    /** The key was used before with a different request: nothing happens (422). */
    record KeyReused() implements PaymentOutcome { }

    /** No such account, or not the caller's: the same answer, so account ids are no oracle (404). */
    record AccountNotFound() implements PaymentOutcome { }

    /** Over the limit without the approver role or a recent second factor (403). */
    record NeedsApproval(long limit) implements PaymentOutcome { }

    /** The policy refused for another reason (403). */
    record Refused(String reason) implements PaymentOutcome { }
}
