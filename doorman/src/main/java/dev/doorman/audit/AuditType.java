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
    /** retention deleted the oldest records; the reason says up to which position */
    AUDIT_PRUNED,
    /** a signed-in user without the role asked for an admin page or API */
    ACCESS_DENIED,
    /** a password accepted at login appears in the breached-password corpus: the account must change it */
    PASSWORD_BREACH_DETECTED;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
