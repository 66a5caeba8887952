package dev.doorman.verification;

public sealed interface VerificationOutcome {
    record Verified() implements VerificationOutcome { }

    /** @param id {@code verification.invalid_token} or {@code verification.expired_token} */
    record Rejected(String id, String message) implements VerificationOutcome { }
}
