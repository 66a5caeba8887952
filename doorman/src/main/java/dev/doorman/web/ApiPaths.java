package dev.doorman.web;

public final class ApiPaths {
    public static final String PREFIX = "/api/";

    private ApiPaths() {
    }
}
