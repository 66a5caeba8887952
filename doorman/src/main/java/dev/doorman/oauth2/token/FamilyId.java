package dev.doorman.oauth2.token;

import java.util.Objects;
import java.util.UUID;

/** A refresh-token family: one issuance and every rotation that followed from it (OA-16). */
public record FamilyId(String value) {
    public FamilyId {
        Objects.requireNonNull(value, "value");
        if (value.isBlank() || value.length() > 64) throw new IllegalArgumentException("a family id has 1 to 64 characters");
    }

    public static FamilyId random() {
        return new FamilyId(UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
