package dev.doorman.account;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Roles and who holds them. The authorization engine reads these; the import file writes them. */
public interface RoleStore {
    record Role(String name, Optional<String> description) { }

    void save(Role role);

    List<Role> list();

    Set<String> rolesOf(UserId user);

    /** Replaces the user's roles with exactly these (each must exist). */
    void setRoles(UserId user, Set<String> roles);
}
