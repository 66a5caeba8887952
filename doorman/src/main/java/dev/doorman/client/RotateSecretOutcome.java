package dev.doorman.client;

import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;

/** How {@link ClientService#rotateSecret} ended. */
public sealed interface RotateSecretOutcome {
    /** @param secret the new secret, shown once; the old one stopped working */
    record Rotated(ClientID id, Secret secret) implements RotateSecretOutcome { }

    record NotFound(ClientID id) implements RotateSecretOutcome { }

    /** The client authenticates without a secret (private_key_jwt, or a public client). */
    record NoSecret(ClientID id, ClientAuthenticationMethod method) implements RotateSecretOutcome { }
}
