package dev.doorman.mfa;

public final class MfaPaths {
    public static final String CHALLENGE = "/login/mfa";
    public static final String STEP_UP = "/mfa/step-up";
    public static final String SETTINGS = "/account/mfa";
    public static final String TOTP_START = "/account/mfa/totp";
    public static final String TOTP_CONFIRM = "/account/mfa/totp/confirm";
    public static final String TOTP_REMOVE = "/account/mfa/totp/remove";
    public static final String RECOVERY_CODES = "/account/mfa/recovery-codes";

    public static final String API_CHALLENGE = "/api/v1/session/mfa";
    public static final String API_STEP_UP = "/api/v1/session/step-up";
    public static final String API_FACTORS = "/api/v1/me/mfa";
    public static final String API_TOTP = "/api/v1/me/mfa/totp";
    public static final String API_TOTP_CONFIRM = "/api/v1/me/mfa/totp/confirm";
    public static final String API_RECOVERY_CODES = "/api/v1/me/mfa/recovery-codes";

    private MfaPaths() {
    }
}
