package dev.doorman.oauth2;

import java.util.Objects;
import java.util.UUID;

/**
 * One authorization: what a code (or a client-credentials request) stands for. Every token issued under it, the
 * whole refresh family included, carries it, so that a replayed code revokes them all (OA-06). The same value as
 * {@link dev.doorman.oauth2.code.CodeGrant#grantId()}.
 */
public record GrantId(String value) {
    public GrantId {
        Objects.requireNonNull(value, "value");
        if (value.isBlank() || value.length() > 64) throw new IllegalArgumentException("a grant id has 1 to 64 characters");
    }

    public static GrantId random() {
        return new GrantId(UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
