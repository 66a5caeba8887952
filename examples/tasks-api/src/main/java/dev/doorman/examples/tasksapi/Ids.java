package dev.doorman.examples.tasksapi;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Parsing of the UUIDs in paths: only the canonical lower-case form, so one resource has exactly one URL. */
final class Ids {
    private static final Pattern CANONICAL = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private Ids() {
    }

    static Optional<UUID> uuid(String text) {
        if (text == null || !CANONICAL.matcher(text).matches()) return Optional.empty();
        return Optional.of(UUID.fromString(text));
    }
}
