package dev.doorman.guard;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Every named limit with its safe default. The wire name ({@code login.source}) is what configuration
 * ({@code DOORMAN_LIMIT_LOGIN_SOURCE=60/1m,600/1h}), audit reasons and problem bodies use. "Source" is a client
 * address (IPv6 by /64); "account" is the normalized identifier, hashed, whether or not such an account exists.
 */
public enum Limit {
    /** Every login attempt, page and JSON, per source. */
    LOGIN_SOURCE("60/1m, 600/1h"),
    /** Failed logins per account from every source (NIST's 100 consecutive failures); past it only the owner's unlock link helps. */
    LOGIN_ACCOUNT("100/1d"),
    /** Failed logins across the whole system; past it every login needs a proof of work. */
    LOGIN_FAILURES_GLOBAL("300/1m, 3000/1h"),
    /** Failed logins per (account, source): the progressive delay, then a challenge, then a lockout of that pair only. */
    LOGIN_PAIR("10/15m"),
    /** Distinct accounts failing from one source (credential stuffing); past it that source needs a harder proof of work. */
    LOGIN_SOURCE_ACCOUNTS("20/1h"),
    /** Distinct sources failing on one account (a distributed attack on it); past it the account needs a proof of work and its owner is told. */
    LOGIN_ACCOUNT_SOURCES("10/1h"),
    REGISTER_SOURCE("10/1m, 50/1h"),
    RESET_REQUEST_SOURCE("10/1m, 50/1h"),
    /** Reset mails per account (mail bombing). */
    RESET_REQUEST_ACCOUNT("5/1h"),
    RESET_CONFIRM_SOURCE("20/1m, 100/1h"),
    VERIFY_SOURCE("20/1m, 100/1h"),
    VERIFY_RESEND_SOURCE("10/1m, 50/1h"),
    VERIFY_RESEND_ACCOUNT("5/1h"),
    /** Token requests per authenticated client. */
    TOKEN_CLIENT("20000/1m"),
    /** Introspection requests per authenticated client. */
    INTROSPECT_CLIENT("30000/1m"),
    /** Second-factor verifications per source and per account (for the MFA endpoints). */
    MFA_SOURCE("30/15m"),
    MFA_ACCOUNT("10/15m"),
    /** Unlock-link redemptions per source. */
    UNLOCK_SOURCE("10/1h"),
    /** "Your account is under attack" mails per account. */
    ATTACK_MAIL_ACCOUNT("1/1h"),
    /** Marks a proof-of-work challenge as spent (one use); must outlast the challenge's lifetime, so not configurable. */
    CHALLENGE_SPENT("1/1h");

    private final String defaultSpec;

    Limit(String defaultSpec) {
        this.defaultSpec = defaultSpec;
    }

    public LimitSpec defaultSpec() {
        return LimitSpec.parse(defaultSpec);
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '.');
    }

    public static Optional<Limit> byWireName(String name) {
        return Arrays.stream(values()).filter(l -> l.wireName().equals(name)).findFirst();
    }
}
