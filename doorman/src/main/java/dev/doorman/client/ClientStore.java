package dev.doorman.client;

import com.nimbusds.oauth2.sdk.id.ClientID;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Registered clients with their credentials. The OAuth endpoints see only the {@link ClientRegistry} side. */
public interface ClientStore extends ClientRegistry {
    /** Inserts; false (and nothing written) when the client_id is taken. */
    boolean insert(StoredClient client);

    /** Replaces every field of an existing client but its client_id and created_at; false when there is no such client. */
    boolean update(StoredClient client);

    Optional<StoredClient> findStored(ClientID id);

    /** Every client, by client_id. */
    List<StoredClient> list();

    /** False when there was no such client. */
    boolean remove(ClientID id);

    /** Sets a new secret hash (a rotation) in one statement; false when there is no such client. */
    boolean replaceSecretHash(ClientID id, String secretHash, Instant at);

    @Override
    default Optional<RegisteredClient> find(ClientID id) {
        return findStored(id).map(StoredClient::client);
    }
}
