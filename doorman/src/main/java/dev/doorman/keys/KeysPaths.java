package dev.doorman.keys;

/** The paths the keys feature serves. */
public final class KeysPaths {
    /** The JWK set of every published signing key (RFC 7517 §5), the {@code jwks_uri} of discovery. */
    public static final String JWKS = "/.well-known/jwks.json";

    private KeysPaths() {
    }
}
