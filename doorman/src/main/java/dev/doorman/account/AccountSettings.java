package dev.doorman.account;

import java.time.Duration;

/**
 * @param requireVerifiedEmail whether an account must prove its e-mail address before it can log in
 * @param verificationTtl      how long an e-mail verification link stays valid
 * @param resetTtl             how long a password-reset link stays valid
 */
public record AccountSettings(boolean requireVerifiedEmail, Duration verificationTtl, Duration resetTtl) {
    public AccountSettings {
        if (verificationTtl.isNegative() || verificationTtl.isZero()) throw new IllegalArgumentException("verification TTL must be positive");
        if (resetTtl.isNegative() || resetTtl.isZero()) throw new IllegalArgumentException("reset TTL must be positive");
        if (resetTtl.compareTo(Duration.ofHours(1)) > 0) throw new IllegalArgumentException("reset TTL must be at most 1 hour");
    }

    public static AccountSettings defaults() {
        return new AccountSettings(true, Duration.ofHours(24), Duration.ofMinutes(30));
    }
}
