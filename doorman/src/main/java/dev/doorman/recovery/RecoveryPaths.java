package dev.doorman.recovery;

public final class RecoveryPaths {
    public static final String FORGOT = "/forgot-password";
    public static final String RESET = "/reset-password";
    public static final String API_REQUEST = "/api/v1/password-reset";
    public static final String API_CONFIRM = "/api/v1/password-reset/confirm";

    private RecoveryPaths() {
    }
}
