package dev.doorman.web;

public final class AssetPaths {
    public static final String PREFIX = "/assets/";
    public static final String STYLESHEET = "/assets/doorman.css";
    /** The passkey pages' script: WebAuthn needs navigator.credentials, so those pages are the only ones with JavaScript. */
    public static final String PASSKEYS_SCRIPT = "/assets/passkeys.js";

    private AssetPaths() {
    }
}
