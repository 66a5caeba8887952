package dev.doorman.account;

import java.time.Instant;
import java.util.Optional;

/** An account. The password hash never leaves the account package's services. */
public record User(UserId id, Email email, Optional<String> name, Optional<String> passwordHash,
                   boolean emailVerified, boolean disabled, Instant createdAt, Instant updatedAt) {

    public User withPasswordHash(String hash, Instant now) {
        return new User(id, email, name, Optional.of(hash), emailVerified, disabled, createdAt, now);
    }
}
