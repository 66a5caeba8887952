package dev.doorman.account;

public final class AccountPaths {
    public static final String PAGE = "/account";
    public static final String CHANGE_PASSWORD = "/account/password";
    public static final String REVOKE_SESSION = "/account/sessions/{id}/revoke";
    public static final String REVOKE_OTHERS = "/account/sessions/revoke-others";
    public static final String REVOKE_CONSENT = "/account/consents/revoke";
    public static final String API_ME = "/api/v1/me";
    public static final String API_SESSIONS = "/api/v1/me/sessions";
    public static final String API_SESSION = "/api/v1/me/sessions/{id}";
    public static final String API_PASSWORD = "/api/v1/me/password";

    private AccountPaths() {
    }
}
