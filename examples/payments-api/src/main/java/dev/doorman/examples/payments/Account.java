package dev.doorman.examples.payments;

import java.time.Instant;

/** An account money leaves from; {@code ownerId} is the Doorman user id of its holder. */
public record Account(String id, String ownerId, String name, Instant createdAt) {
}
