package dev.doorman.client;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.doorman.support.ClientInfo;

import java.net.URI;
import java.util.Optional;

/**
 * Authenticates the client of a token, revocation, introspection or PAR request (RFC 6749 §2.3, RFC 7523).
 * The method is pinned to the registration: a private_key_jwt client sending a secret fails.
 */
public interface ClientAuthenticator {
    sealed interface Result {
        record Authenticated(RegisteredClient client) implements Result { }

        /** @param basicUsed answer with {@code WWW-Authenticate: Basic} (RFC 6749 §5.2) */
        record Failed(ErrorObject error, boolean basicUsed) implements Result { }
    }

    /**
     * @param authentication what the request carried (parsed by Nimbus), empty for a public client
     * @param claimedId      the {@code client_id} parameter, for public clients
     * @param endpoint       the endpoint URL the request was sent to (a client assertion's audience)
     */
    Result authenticate(Optional<ClientAuthentication> authentication, Optional<ClientID> claimedId, URI endpoint);

    /**
     * The same, with where the request came from, so that a failure is audited with the caller's address. Endpoints
     * should prefer this one.
     */
    default Result authenticate(Optional<ClientAuthentication> authentication, Optional<ClientID> claimedId, URI endpoint, ClientInfo from) {
        return authenticate(authentication, claimedId, endpoint);
    }
}
