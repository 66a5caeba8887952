package dev.doorman.authz;

import java.util.Objects;

/**
 * What a role grants or a rule covers: {@code type:verb}, {@code type:*} (every verb on a type) or {@code *}
 * (everything).
 */
public record Permission(String type, String verb) {
    public static final Permission ALL = new Permission("*", "*");

    public Permission {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(verb, "verb");
    }

    public static Permission parse(String text) {
        Objects.requireNonNull(text, "permission");
        if (text.equals("*")) return ALL;
        int colon = text.indexOf(':');
        if (colon < 0 || colon != text.lastIndexOf(':')) {
            throw new IllegalArgumentException("'" + text + "' is not a permission: write type:verb, type:* or *");
        }
        String type = text.substring(0, colon);
        String verb = text.substring(colon + 1);
        if (!Action.NAME.matcher(type).matches() || !(verb.equals("*") || Action.NAME.matcher(verb).matches())) {
            throw new IllegalArgumentException("'" + text + "' is not a permission: write type:verb, type:* or *");
        }
        return new Permission(type, verb);
    }

    public boolean covers(Action action) {
        return (type.equals("*") || type.equals(action.type())) && (verb.equals("*") || verb.equals(action.verb()));
    }

    @Override
    public String toString() {
        return this == ALL || (type.equals("*") && verb.equals("*")) ? "*" : type + ":" + verb;
    }
}
