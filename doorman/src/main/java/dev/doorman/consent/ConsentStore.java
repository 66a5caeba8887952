package dev.doorman.consent;

import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.doorman.account.UserId;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What each user has allowed each client (OA-12): one record per user and client, its scope the union of every
 * grant. Nimbus' {@code ClientID} and {@code Scope} appear here because a consent is an OAuth grant of scope to a
 * client; the consent page is part of the authorization flow. Instants come from the store's clock.
 */
public interface ConsentStore {
    record Consent(UserId user, ClientID client, Scope scope, Instant grantedAt) {
        public Consent {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(client, "client");
            scope = new Scope(Objects.requireNonNull(scope, "scope"));
            Objects.requireNonNull(grantedAt, "grantedAt");
        }
    }

    /** Adds {@code scope} to what the user has allowed the client (atomic, also against a concurrent save); returns the whole consented scope. */
    Scope save(UserId user, ClientID client, Scope scope);

    Optional<Scope> find(UserId user, ClientID client);

    /** Withdraws the consent; returns whether there was one. The caller also revokes the client's tokens for this user. */
    boolean remove(UserId user, ClientID client);

    /** Forgets every consent given to the client (it is being deleted); returns how many there were. */
    int removeAll(ClientID client);

    /** The user's consents, most recent first: the account page's list. */
    List<Consent> listByUser(UserId user);
}
