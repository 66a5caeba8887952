package dev.doorman.oauth2.par;

import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Requests in {@code pushed_authorization_requests}; a conditional update on {@code used} picks the one winner on both databases. */
public final class JdbiPushedRequestStore implements PushedRequestStore {
    private final Jdbi jdbi;
    private final Clock clock;

    public JdbiPushedRequestStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    @Override
    public void save(String requestUriHash, ClientID client, Map<String, List<String>> parameters, Instant expiresAt) {
        jdbi.useHandle(h -> h.createUpdate("insert into pushed_authorization_requests (request_uri_hash, client_id, parameters, expires_at, used) "
                        + "values (:hash, :client, :parameters, :expires, false)")
                .bind("hash", requestUriHash)
                .bind("client", client.getValue())
                .bind("parameters", URLUtils.serializeParameters(parameters))
                .bind("expires", expiresAt.toEpochMilli())
                .execute());
    }

    @Override
    public Optional<Map<String, List<String>>> consume(String requestUriHash, ClientID client) {
        long now = clock.millis();
        return jdbi.inTransaction(h -> {
            boolean won = h.createUpdate("update pushed_authorization_requests set used = true where request_uri_hash = :hash "
                            + "and client_id = :client and used = false and expires_at > :now")
                    .bind("hash", requestUriHash).bind("client", client.getValue()).bind("now", now)
                    .execute() == 1;
            if (!won) return Optional.<Map<String, List<String>>>empty();
            return h.createQuery("select parameters from pushed_authorization_requests where request_uri_hash = :hash")
                    .bind("hash", requestUriHash).mapTo(String.class).findOne()
                    .map(URLUtils::parseParameters);
        });
    }
}
