package dev.doorman.oauth2.par;

import com.nimbusds.oauth2.sdk.id.ClientID;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pushed authorization requests (RFC 9126), by the SHA-256 of their {@code request_uri}. The parameters are kept in
 * Nimbus' form, ready for {@code AuthorizationRequest.parse(Map)}. Instants come from the store's clock.
 */
public interface PushedRequestStore {
    void save(String requestUriHash, ClientID client, Map<String, List<String>> parameters, Instant expiresAt);

    /**
     * Atomic and single use: the parameters for the first call by the client that pushed the request before it expired;
     * empty for every later call, another client, an expired or an unknown request. Another client's attempt does not
     * use the request up.
     */
    Optional<Map<String, List<String>>> consume(String requestUriHash, ClientID client);
}
