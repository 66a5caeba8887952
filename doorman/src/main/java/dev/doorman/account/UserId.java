package dev.doorman.account;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

public record UserId(UUID value) {
    public UserId {
        Objects.requireNonNull(value);
    }

    public static UserId random() {
        return new UserId(UUID.randomUUID());
    }

    public static UserId parse(String s) {
        return new UserId(UUID.fromString(s));
    }

    public static Optional<UserId> tryParse(String s) {
        try {
            return Optional.of(parse(s));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
