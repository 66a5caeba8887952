package dev.doorman.client;

import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.doorman.audit.AuditEvent;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditType;
import dev.doorman.support.ClientInfo;
import dev.doorman.support.Secrets;
import dev.doorman.support.Tx;

import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The operator's client operations: register (with a generated client_id when none is given and a generated secret
 * for a client that authenticates with one), rotate a secret, delete, list. A generated secret is 256 bits from the
 * injected SecureRandom; it is returned once and only its SHA-256 is stored (DESIGN.md principle 2, OA-14).
 */
public final class ClientService {
    /**
     * What else goes with a deleted client, in the same transaction: its tokens and the consents users gave it. A
     * client later registered under the same id must start from nothing.
     */
    @FunctionalInterface
    public interface RemovalListener {
        void clientRemoved(ClientID id);
    }

    private final ClientStore store;
    private final Secrets secrets;
    private final AuditLog audit;
    private final Clock clock;
    private final Tx tx;
    private final RemovalListener onRemoved;

    public ClientService(ClientStore store, Secrets secrets, AuditLog audit, Clock clock, Tx tx, RemovalListener onRemoved) {
        this.store = store;
        this.secrets = secrets;
        this.audit = audit;
        this.clock = clock;
        this.tx = tx;
        this.onRemoved = onRemoved;
    }

    /** Validates and stores a new client. Audited as {@code client_created}. */
    public CreateClientOutcome create(ClientRegistration registration, ClientInfo actor) {
        ClientRegistration withId = registration.id().isPresent() ? registration : registration.withId(newClientId());
        return switch (ClientRules.validate(withId)) {
            case ClientRules.Validation.Invalid invalid -> new CreateClientOutcome.Rejected(invalid.problems());
            case ClientRules.Validation.Valid valid -> {
                RegisteredClient client = valid.client();
                Optional<Secret> secret = StoredClient.usesSecret(client.authMethod()) ? Optional.of(newSecret()) : Optional.empty();
                Instant now = clock.instant();
                var stored = new StoredClient(client, secret.map(s -> Secrets.hash(s.getValue())), valid.jwks(), now, now);
                if (!store.insert(stored)) yield new CreateClientOutcome.IdTaken(client.id());
                audit.clientEvent(AuditType.CLIENT_CREATED, AuditEvent.Outcome.SUCCESS, Optional.empty(), client.id().getValue(), actor);
                yield new CreateClientOutcome.Created(client, secret);
            }
        };
    }

    /** Replaces a client's secret with a new generated one; the old one stops working at once. Audited as {@code client_secret_rotated}. */
    public RotateSecretOutcome rotateSecret(ClientID id, ClientInfo actor) {
        Optional<StoredClient> found = store.findStored(id);
        if (found.isEmpty()) return new RotateSecretOutcome.NotFound(id);
        RegisteredClient client = found.get().client();
        if (!StoredClient.usesSecret(client.authMethod())) return new RotateSecretOutcome.NoSecret(id, client.authMethod());
        Secret secret = newSecret();
        if (!store.replaceSecretHash(id, Secrets.hash(secret.getValue()), clock.instant())) return new RotateSecretOutcome.NotFound(id);
        audit.clientEvent(AuditType.CLIENT_SECRET_ROTATED, AuditEvent.Outcome.SUCCESS, Optional.empty(), id.getValue(), actor);
        return new RotateSecretOutcome.Rotated(id, secret);
    }

    /**
     * Removes the client, revokes its tokens and forgets its consents; false when there was none. Audited as
     * {@code client_deleted}.
     */
    public boolean delete(ClientID id, ClientInfo actor) {
        boolean removed = tx.inTransaction(() -> {
            if (!store.remove(id)) return false;
            onRemoved.clientRemoved(id);
            return true;
        });
        if (!removed) return false;
        audit.clientEvent(AuditType.CLIENT_DELETED, AuditEvent.Outcome.SUCCESS, Optional.empty(), id.getValue(), actor);
        return true;
    }

    /** Every client, by client_id. */
    public List<RegisteredClient> list() {
        return store.list().stream().map(StoredClient::client).toList();
    }

    public Optional<RegisteredClient> find(ClientID id) {
        return store.find(id);
    }

    private Secret newSecret() {
        return new Secret(secrets.newToken());
    }

    /** 96 random bits as 24 hex digits: never UUID-shaped, so never a user's sub. */
    private ClientID newClientId() {
        return new ClientID(HexFormat.of().formatHex(secrets.newBytes(12)));
    }
}
