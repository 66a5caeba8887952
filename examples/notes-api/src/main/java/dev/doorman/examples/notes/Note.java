package dev.doorman.examples.notes;

import java.time.Instant;

/** One note; {@code ownerId} is the Doorman user id of the person who wrote it. */
public record Note(String id, String ownerId, String title, String body, Instant createdAt, Instant updatedAt) {
}
