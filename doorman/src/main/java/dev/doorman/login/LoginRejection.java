package dev.doorman.login;

/**
 * What a caller may learn about a failed login. Unknown account, wrong password and disabled account are one
 * answer; "verify your e-mail first" is only said to someone who gave the right password.
 */
public enum LoginRejection {
    INVALID_CREDENTIALS("login.invalid_credentials", "The e-mail address or password is incorrect."),
    EMAIL_NOT_VERIFIED("login.email_not_verified", "Please confirm your e-mail address first: follow the link we sent you.");

    private final String id;
    private final String message;

    LoginRejection(String id, String message) {
        this.id = id;
        this.message = message;
    }

    public String id() {
        return id;
    }

    public String message() {
        return message;
    }
}
