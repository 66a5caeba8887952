package dev.doorman.resource;

/**
 * Turns a bearer token into a {@link Verification}. Two kinds: {@link JwtAccessTokenVerifier} checks Doorman's JWT
 * access tokens locally against the published keys; {@link IntrospectionVerifier} asks the issuer (RFC 7662).
 * Implementations never throw for a bad token and never let an exception escape as acceptance.
 */
public interface TokenVerifier extends AutoCloseable {
    Verification verify(String token);

    /** Stops background work (key and revocation polling) and releases the HTTP client. */
    @Override
    void close();
}
