package dev.doorman.account;

import java.time.Instant;
import java.util.Optional;

/** Single-use e-mailed secrets, by the SHA-256 of their value. */
public interface ActionTokenStore {
    enum Purpose { VERIFY_EMAIL, RESET_PASSWORD, UNLOCK_LOGIN }

    record StoredToken(String hash, Purpose purpose, UserId user, Instant createdAt, Instant expiresAt) { }

    void save(StoredToken token);

    Optional<StoredToken> find(String hash, Purpose purpose);

    /** Atomic: of any number of concurrent calls for one hash, exactly one sees true. */
    boolean remove(String hash);

    void removeAll(UserId user, Purpose purpose);
}
