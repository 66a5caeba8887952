package dev.doorman.client;

import com.nimbusds.oauth2.sdk.id.ClientID;

import java.util.Optional;

/** Looks clients up; the OAuth endpoints need nothing more. */
public interface ClientRegistry {
    Optional<RegisteredClient> find(ClientID id);
}
