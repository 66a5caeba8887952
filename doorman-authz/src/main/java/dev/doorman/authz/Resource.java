package dev.doorman.authz;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What is acted on, as the caller knows it: a type, an id, attributes for conditions (ownerId, department,
 * amount, ...) and optionally the resource it belongs to. A role bound to the parent (manager of project/42)
 * applies to the resource too (a task of project 42).
 *
 * <p>Attribute values are what CEL understands: String, Long/Integer, Double, Boolean, Instant, Duration,
 * lists and maps of these. The names {@code type}, {@code id}, {@code attrs} and {@code parent} are reserved because
 * conditions may write {@code resource.ownerId} for {@code resource.attrs.ownerId}.
 */
public record Resource(String type, String id, Map<String, Object> attributes, Optional<ResourceRef> parent) {
    private static final Set<String> RESERVED = Set.of("type", "id", "attrs", "parent");

    public Resource {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        attributes = Map.copyOf(attributes);
        Objects.requireNonNull(parent, "parent");
        if (!Action.NAME.matcher(type).matches()) throw new IllegalArgumentException("bad resource type: " + type);
        for (String name : attributes.keySet()) {
            if (RESERVED.contains(name)) throw new IllegalArgumentException("'" + name + "' is reserved and cannot be a resource attribute");
        }
    }

    public static Resource of(String type, String id) {
        return new Resource(type, id, Map.of(), Optional.empty());
    }

    public static Resource of(String type, String id, Map<String, Object> attributes) {
        return new Resource(type, id, attributes, Optional.empty());
    }

    public Resource within(ResourceRef parent) {
        return new Resource(type, id, attributes, Optional.of(parent));
    }

    public ResourceRef ref() {
        return new ResourceRef(type, id);
    }
}
