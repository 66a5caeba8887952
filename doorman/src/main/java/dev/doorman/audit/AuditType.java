package dev.doorman.audit;

/**
 * Every security event Doorman records. The wire name is the lower-case form, e.g. {@code login_failed}; it is what
 * the trail stores, the API and CLI filter on and the metrics are tagged with, so a constant is never renamed or
 * removed once released ({@code AuditTypeTest} holds the released names).
 */
public enum AuditType {
    ACCOUNT_REGISTERED,
    REGISTRATION_FOR_EXISTING_EMAIL,
    EMAIL_VERIFIED,
    EMAIL_VERIFICATION_FAILED,
    VERIFICATION_RESENT,
    LOGIN_SUCCEEDED,
    LOGIN_FAILED,
    LOGGED_OUT,
    SESSION_REVOKED,
    SESSION_EXPIRED,
    PASSWORD_CHANGED,
    PASSWORD_CHANGE_FAILED,
    PASSWORD_RESET_REQUESTED,
    PASSWORD_RESET_COMPLETED,
    PASSWORD_RESET_FAILED,
    CSRF_REJECTED,
    USER_CREATED,
    USER_DISABLED,
    USER_IMPORTED,
    MAIL_FAILED,
    SIGNING_KEY_ROTATED,
    CLIENT_CREATED,
    CLIENT_IMPORTED,
    CLIENT_SECRET_ROTATED,
    CLIENT_DELETED,
    CLIENT_AUTHENTICATION_FAILED,
    TOKEN_ISSUED,
    TOKEN_REFUSED,
    REFRESH_TOKEN_ROTATED,
    REFRESH_TOKEN_REUSED,
    AUTHORIZATION_CODE_REPLAYED,
    TOKEN_REVOKED,
    CONSENT_WITHDRAWN,
    AUTHORIZATION_GRANTED,
    AUTHORIZATION_REFUSED,
    CONSENT_GRANTED,
    CONSENT_DENIED,
    ROLE_BOUND,
    ROLE_UNBOUND,
    /** an authorization denial: a decision-point deny, or a signed-in user without the role on an admin page or API */
    ACCESS_DENIED,
    // Rate limits and brute-force defence (dev.doorman.guard)
    /** A named limit refused a request; the reason is the limit's wire name, e.g. {@code login.source}. */
    RATE_LIMITED,
    /** A failed login was answered slowly (progressive delay); the reason says how long, e.g. {@code delay_1000ms}. */
    LOGIN_DELAYED,
    /** A login needs a proof of work first; the reason is the signal, e.g. {@code source_many_accounts}. */
    LOGIN_CHALLENGE_REQUIRED,
    /** A presented proof of work was refused; the reason is why, e.g. {@code already_used}. */
    LOGIN_CHALLENGE_FAILED,
    /** An (account, source) pair, or an account from unverified browsers, was locked; the reason is the limit. */
    LOGIN_LOCKED_OUT,
    /** The owner was mailed that their account is under attack, with an unlock link. */
    ATTACK_NOTICE_SENT,
    /** The owner used the mailed unlock link; this browser may log in past the lockout. */
    ACCOUNT_UNLOCKED,
    /** A login was refused at once because every password-hashing slot and its queue were busy (503). */
    LOGIN_SHED,
    /** retention deleted the oldest records; the reason says up to which position */
    AUDIT_PRUNED,
    /** a password accepted at login appears in the breached-password corpus: the account must change it */
    PASSWORD_BREACH_DETECTED,
    MFA_CHALLENGED,
    MFA_SUCCEEDED,
    MFA_FAILED,
    MFA_CHALLENGE_ABANDONED,
    MFA_LOCKED,
    MFA_ENROLLED,
    MFA_ENROLLMENT_FAILED,
    MFA_REMOVED,
    MFA_STEP_UP,
    MFA_STEP_UP_FAILED,
    RECOVERY_CODE_USED,
    RECOVERY_CODES_REGENERATED,
    PASSKEY_REGISTERED,
    PASSKEY_REGISTRATION_FAILED,
    PASSKEY_RENAMED,
    PASSKEY_REMOVED,
    PASSKEY_AUTHENTICATION_FAILED,
    PASSKEY_CLONE_DETECTED;

    /**
     * A refusal that changed nothing (a limit, a challenge, a shed or failed attempt): an attack produces these by the
     * thousand, so they may be written together with others in one transaction, a moment later.
     */
    public boolean refusal() {
        return switch (this) {
            case LOGIN_FAILED, RATE_LIMITED, LOGIN_DELAYED, LOGIN_CHALLENGE_REQUIRED, LOGIN_CHALLENGE_FAILED, LOGIN_SHED -> true;
            default -> false;
        };
    }

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
