package dev.doorman.keys;

import java.time.Instant;

/** What {@link SigningKeys#rotate} did. */
public sealed interface RotationOutcome {
    /**
     * The next key became active, the active one retired, and a new next key was published.
     *
     * @param retiredPublishedUntil when the retired key leaves the JWKS (every token it signed has expired by then)
     */
    record Rotated(KeyId retired, KeyId activated, KeyId next, Instant retiredPublishedUntil) implements RotationOutcome { }

    /** Another node rotated away from the same active key first; nothing more happened. */
    record AlreadyRotated(KeyId active) implements RotationOutcome { }
}
