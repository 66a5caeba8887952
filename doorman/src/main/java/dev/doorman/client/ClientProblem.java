package dev.doorman.client;

import java.util.Objects;

/**
 * Why a client registration is refused: the field, named as in the provisioning file (e.g. {@code redirectUris[1]}),
 * and the rule it breaks.
 */
public record ClientProblem(String field, String message) {
    public ClientProblem {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
