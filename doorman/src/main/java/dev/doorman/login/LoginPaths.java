package dev.doorman.login;

public final class LoginPaths {
    public static final String FORM = "/login";
    public static final String LOGOUT = "/logout";
    public static final String API_SESSION = "/api/v1/session";

    private LoginPaths() {
    }
}
