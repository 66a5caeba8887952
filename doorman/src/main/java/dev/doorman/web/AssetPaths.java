package dev.doorman.web;

public final class AssetPaths {
    public static final String PREFIX = "/assets/";
    public static final String STYLESHEET = "/assets/doorman.css";

    private AssetPaths() {
    }
}
