package dev.doorman.authz;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who is asking: a user (from a session or a token's {@code sub}) or an OAuth client acting for itself
 * (client_credentials). Built by the caller's authentication layer, trusted by the policy engine as given.
 *
 * @param id         the user id, or the client id for {@link Kind#CLIENT}
 * @param kind       user or client
 * @param roles      global role names (scoped role bindings are looked up by the engine, not carried here)
 * @param scopes     OAuth scopes granted to the token; empty for a first-party session
 * @param attributes further attributes (email, department, ...) for ABAC conditions
 * @param authTime   when the user last authenticated, if known
 * @param amr        authentication methods used (pwd, otp, hwk, ...)
 */
public record Subject(String id, Kind kind, Set<String> roles, Set<String> scopes, Map<String, Object> attributes,
                      Optional<Instant> authTime, Set<String> amr) {
    public enum Kind { USER, CLIENT }

    public Subject {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        roles = Set.copyOf(roles);
        scopes = Set.copyOf(scopes);
        attributes = Map.copyOf(attributes);
        Objects.requireNonNull(authTime, "authTime");
        amr = Set.copyOf(amr);
    }

    public static Subject user(String id, Set<String> roles) {
        return new Subject(id, Kind.USER, roles, Set.of(), Map.of(), Optional.empty(), Set.of());
    }

    public static Subject client(String clientId, Set<String> scopes) {
        return new Subject(clientId, Kind.CLIENT, Set.of(), scopes, Map.of(), Optional.empty(), Set.of());
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}
