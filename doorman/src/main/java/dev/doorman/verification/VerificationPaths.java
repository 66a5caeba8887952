package dev.doorman.verification;

public final class VerificationPaths {
    public static final String PAGE = "/verify-email";
    public static final String API = "/api/v1/accounts/verify";
    public static final String API_RESEND = "/api/v1/accounts/verify/resend";

    private VerificationPaths() {
    }
}
