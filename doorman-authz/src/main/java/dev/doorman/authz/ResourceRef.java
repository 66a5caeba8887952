package dev.doorman.authz;

import java.util.Objects;

/** Names one resource: its type and id (the scope of a role binding, the parent of a resource). */
public record ResourceRef(String type, String id) {
    public ResourceRef {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        if (!Action.NAME.matcher(type).matches()) throw new IllegalArgumentException("bad resource type: " + type);
        if (id.isEmpty() || id.length() > 256) throw new IllegalArgumentException("a resource id has 1 to 256 characters");
    }

    /** Parses {@code type/id}, e.g. {@code project/42}. */
    public static ResourceRef parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0) throw new IllegalArgumentException("a resource is written type/id, e.g. project/42");
        return new ResourceRef(text.substring(0, slash), text.substring(slash + 1));
    }

    @Override
    public String toString() {
        return type + "/" + id;
    }
}
