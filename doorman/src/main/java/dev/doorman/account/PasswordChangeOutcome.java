package dev.doorman.account;

public sealed interface PasswordChangeOutcome {
    record Changed() implements PasswordChangeOutcome { }

    /** @param id {@code account.wrong_current_password} or a {@code password.*} rule */
    record Rejected(String id, String message) implements PasswordChangeOutcome { }
}
