package dev.doorman.audit;

/** Every security event Doorman records. The wire name is the lower-case form, e.g. {@code login_failed}. */
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
    CLIENT_AUTHENTICATION_FAILED;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
