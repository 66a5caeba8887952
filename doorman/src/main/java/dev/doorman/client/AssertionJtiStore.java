package dev.doorman.client;

import java.time.Instant;

/** The ids ({@code jti}) of client assertions already used, by the SHA-256 of client_id and jti: each assertion works once. */
public interface AssertionJtiStore {
    /**
     * Records an assertion as used until {@code expiresAt}. Atomic: of concurrent calls for one hash exactly one gets
     * true. False when it was used before and has not expired yet: a replay. Forgets entries that expired by {@code now}.
     */
    boolean claim(String jtiHash, Instant expiresAt, Instant now);
}
