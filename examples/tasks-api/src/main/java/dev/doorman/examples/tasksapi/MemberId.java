package dev.doorman.examples.tasksapi;

import dev.doorman.authz.Subject;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who a membership or an assignment is for: a user (the {@code sub} of their tokens) or an OAuth client acting for
 * itself (its {@code client_id}), written {@code user:<sub>} or {@code client:<client_id>}. The kind is part of the
 * identity, so a client can never pass for a user whose id happens to equal its own.
 */
public record MemberId(Subject.Kind kind, String id) {
    private static final Pattern ID = Pattern.compile("[\\x21-\\x7E]{1,200}");

    public MemberId {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) throw new IllegalArgumentException("an id has 1 to 200 printable ASCII characters");
    }

    public static MemberId of(Subject subject) {
        return new MemberId(subject.kind(), subject.id());
    }

    /** Parses {@code user:<id>} or {@code client:<id>}; empty for anything else. */
    public static Optional<MemberId> parse(String text) {
        if (text == null) return Optional.empty();
        int colon = text.indexOf(':');
        if (colon < 0) return Optional.empty();
        String id = text.substring(colon + 1);
        if (!ID.matcher(id).matches()) return Optional.empty();
        return switch (text.substring(0, colon)) {
            case "user" -> Optional.of(new MemberId(Subject.Kind.USER, id));
            case "client" -> Optional.of(new MemberId(Subject.Kind.CLIENT, id));
            default -> Optional.empty();
        };
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(Locale.ROOT) + ":" + id;
    }
}
