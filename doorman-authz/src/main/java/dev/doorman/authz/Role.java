package dev.doorman.authz;

import java.util.List;
import java.util.Objects;

/** A named set of permissions that may inherit the permissions of other roles. */
public record Role(String name, List<Permission> permissions, List<String> inherits) {
    public Role {
        Objects.requireNonNull(name, "name");
        permissions = List.copyOf(permissions);
        inherits = List.copyOf(inherits);
    }
}
