package dev.doorman.session;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** The public handle of a session (shown in session lists, used to revoke one). Not the cookie value. */
public record SessionId(UUID value) {
    public SessionId {
        Objects.requireNonNull(value);
    }

    public static Optional<SessionId> tryParse(String s) {
        try {
            return Optional.of(new SessionId(UUID.fromString(s)));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
