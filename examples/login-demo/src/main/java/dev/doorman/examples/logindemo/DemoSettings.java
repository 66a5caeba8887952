package dev.doorman.examples.logindemo;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * How the demo is configured: the provider's issuer (its discovery document is read from there), this app's
 * client registration at the provider, and where this app runs.
 *
 * @param baseUrl     this app's public URL; {@code /callback} and {@code /logged-out} below it are registered at the provider
 * @param idTokenAlg  the one algorithm ID tokens must be signed with (never taken from the token)
 */
public record DemoSettings(Issuer issuer, ClientID clientId, Secret clientSecret, URI baseUrl, int port, JWSAlgorithm idTokenAlg) {
    public DemoSettings {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(idTokenAlg, "idTokenAlg");
        if (baseUrl.getPath() != null && !baseUrl.getPath().isEmpty() && !baseUrl.getPath().equals("/"))
            throw new IllegalArgumentException("LOGIN_DEMO_BASE_URL must be an origin without a path: " + baseUrl);
    }

    /** From LOGIN_DEMO_* environment variables; the secret is the only one without a default. */
    public static DemoSettings fromEnvironment(Map<String, String> env) {
        String secret = env.get("LOGIN_DEMO_CLIENT_SECRET");
        if (secret == null || secret.isBlank())
            throw new IllegalArgumentException("Set LOGIN_DEMO_CLIENT_SECRET to the secret `bin/doorman client create` printed for login-demo.");
        int port = Integer.parseInt(env.getOrDefault("LOGIN_DEMO_PORT", "8081"));
        return new DemoSettings(new Issuer(env.getOrDefault("LOGIN_DEMO_ISSUER", "http://localhost:8080")),
                new ClientID(env.getOrDefault("LOGIN_DEMO_CLIENT_ID", "login-demo")), new Secret(secret),
                URI.create(env.getOrDefault("LOGIN_DEMO_BASE_URL", "http://127.0.0.1:" + port)), port,
                JWSAlgorithm.parse(env.getOrDefault("LOGIN_DEMO_ID_TOKEN_ALG", "RS256")));
    }

    public URI callback() {
        return URI.create(origin() + "/callback");
    }

    public URI loggedOut() {
        return URI.create(origin() + "/logged-out");
    }

    public String origin() {
        String url = baseUrl.toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Secure cookies need https; on a plain-http loopback for local trials they cannot be Secure. */
    public boolean secureCookies() {
        return "https".equals(baseUrl.getScheme());
    }
}
