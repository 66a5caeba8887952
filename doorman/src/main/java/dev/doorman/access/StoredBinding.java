package dev.doorman.access;

import dev.doorman.authz.RoleBinding;

import java.time.Instant;
import java.util.Objects;

/** A role binding as kept in the database, with when it was made. */
public record StoredBinding(RoleBinding binding, Instant createdAt) {
    public StoredBinding {
        Objects.requireNonNull(binding);
        Objects.requireNonNull(createdAt);
    }
}
