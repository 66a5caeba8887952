package dev.doorman.mfa;

import java.util.Optional;

/** What the user typed into the one code field: a 6-digit TOTP or a recovery code. */
public sealed interface SubmittedCode {
    record TotpCode(String digits) implements SubmittedCode { }

    record RecoveryCode(String normalized) implements SubmittedCode { }

    /** Empty when the text is neither shape (it then counts as a wrong code, like any other). */
    static Optional<SubmittedCode> parse(String typed) {
        if (typed == null) return Optional.empty();
        String compact = typed.replaceAll("\\s", "");
        if (compact.length() == Totp.DIGITS && compact.chars().allMatch(c -> c >= '0' && c <= '9')) return Optional.of(new TotpCode(compact));
        return RecoveryCodes.normalize(typed).map(RecoveryCode::new);
    }
}
