package dev.doorman.recovery;

public sealed interface RecoveryOutcome {
    record Completed() implements RecoveryOutcome { }

    /** @param id a stable id: {@code recovery.invalid_token}, {@code recovery.expired_token} or a {@code password.*} rule */
    record Rejected(String id, String message) implements RecoveryOutcome { }
}
