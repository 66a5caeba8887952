package dev.doorman.registration;

public final class RegistrationPaths {
    public static final String FORM = "/register";
    public static final String API = "/api/v1/accounts";

    private RegistrationPaths() {
    }
}
