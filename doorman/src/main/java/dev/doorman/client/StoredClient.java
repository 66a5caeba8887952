package dev.doorman.client;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A client as stored: the registration and its credentials. A client that authenticates with a secret has only the
 * SHA-256 of it here (the secret is shown once, when generated); a {@code private_key_jwt} client has its public keys.
 *
 * @param secretHash lower-case hex SHA-256 of the client secret; present exactly for client_secret_basic/post
 * @param jwks       public keys verifying the client's assertions; present exactly for private_key_jwt
 */
public record StoredClient(RegisteredClient client, Optional<String> secretHash, Optional<JWKSet> jwks, Instant createdAt, Instant updatedAt) {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public StoredClient {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(secretHash, "secretHash");
        Objects.requireNonNull(jwks, "jwks");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        ClientAuthenticationMethod method = client.authMethod();
        if (usesSecret(method) != secretHash.isPresent())
            throw new IllegalArgumentException("a secret hash is stored exactly for client_secret_basic and client_secret_post clients");
        if (ClientAuthenticationMethod.PRIVATE_KEY_JWT.equals(method) != jwks.isPresent())
            throw new IllegalArgumentException("a JWK set is stored exactly for private_key_jwt clients");
        secretHash.filter(h -> !SHA256_HEX.matcher(h).matches()).ifPresent(h -> {
            throw new IllegalArgumentException("a secret hash is 64 lower-case hex characters (SHA-256)");
        });
        jwks.filter(set -> set.getKeys().stream().anyMatch(k -> k.isPrivate())).ifPresent(set -> {
            throw new IllegalArgumentException("a client's JWK set holds public keys only");
        });
    }

    public static boolean usesSecret(ClientAuthenticationMethod method) {
        return ClientAuthenticationMethod.CLIENT_SECRET_BASIC.equals(method) || ClientAuthenticationMethod.CLIENT_SECRET_POST.equals(method);
    }

    public StoredClient withSecretHash(String hash, Instant at) {
        return new StoredClient(client, Optional.of(hash), jwks, createdAt, at);
    }

    @Override
    public String toString() {
        return "StoredClient[" + client + ", secretHash=" + (secretHash.isPresent() ? "(redacted)" : "none")
                + ", jwks=" + jwks.map(j -> j.size() + " keys").orElse("none") + ", createdAt=" + createdAt + ", updatedAt=" + updatedAt + "]";
    }
}
