package dev.doorman.authz;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A verb on a resource type, written {@code type:verb} (note:read, task:update, payment:create).
 */
public record Action(String type, String verb) {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    public Action {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(verb, "verb");
        if (!NAME.matcher(type).matches() || !NAME.matcher(verb).matches()) {
            throw new IllegalArgumentException("an action is type:verb with letters, digits, '_', '.' or '-' (at most 64 each)");
        }
    }

    /** Parses {@code type:verb}; throws IllegalArgumentException otherwise. */
    public static Action parse(String text) {
        Objects.requireNonNull(text, "action");
        int colon = text.indexOf(':');
        if (colon < 0 || colon != text.lastIndexOf(':')) {
            throw new IllegalArgumentException("an action is written type:verb, e.g. note:read");
        }
        return new Action(text.substring(0, colon), text.substring(colon + 1));
    }

    @Override
    public String toString() {
        return type + ":" + verb;
    }
}
