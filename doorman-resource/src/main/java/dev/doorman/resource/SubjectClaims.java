package dev.doorman.resource;

import dev.doorman.authz.Subject;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@link Subject} a verified token speaks for. {@code sub} is the id; a Doorman client-credentials token
 * ({@code gty=client_credentials}) is a {@link Subject.Kind#CLIENT}, anything else a user. Roles come from
 * {@code roles}, scopes from {@code scope} (space-separated), the auth time from {@code auth_time}, the methods
 * from {@code amr}; {@code client_id}, {@code acr} and {@code sid} become attributes. A claim of the wrong type
 * rejects the token rather than being skipped.
 */
final class SubjectClaims {
    private static final Set<String> ATTRIBUTES = Set.of("client_id", "acr", "sid", "email");

    private SubjectClaims() {
    }

    static Subject toSubject(Map<String, Object> claims) {
        String sub = string(claims, "sub").filter(s -> !s.isBlank()).orElseThrow(() -> new IllegalArgumentException("sub"));
        Subject.Kind kind = "client_credentials".equals(claims.get("gty")) ? Subject.Kind.CLIENT : Subject.Kind.USER;
        Set<String> scopes = string(claims, "scope").map(s -> s.isBlank() ? Set.<String>of() : Set.copyOf(List.of(s.trim().split(" +"))))
                .orElse(Set.of());
        Optional<Instant> authTime = Optional.empty();
        if (claims.get("auth_time") != null) {
            if (!(claims.get("auth_time") instanceof Number n)) throw new IllegalArgumentException("auth_time");
            authTime = Optional.of(Instant.ofEpochSecond(n.longValue()));
        }
        var attributes = new HashMap<String, Object>();
        for (String name : ATTRIBUTES) string(claims, name).ifPresent(v -> attributes.put(name, v));
        return new Subject(sub, kind, strings(claims, "roles"), scopes, attributes, authTime, strings(claims, "amr"));
    }

    private static Optional<String> string(Map<String, Object> claims, String name) {
        Object value = claims.get(name);
        if (value == null) return Optional.empty();
        if (!(value instanceof String s)) throw new IllegalArgumentException(name);
        return Optional.of(s);
    }

    private static Set<String> strings(Map<String, Object> claims, String name) {
        Object value = claims.get(name);
        if (value == null) return Set.of();
        if (!(value instanceof List<?> list)) throw new IllegalArgumentException(name);
        var result = new LinkedHashSet<String>();
        for (Object item : list) {
            if (!(item instanceof String s)) throw new IllegalArgumentException(name);
            result.add(s);
        }
        return result;
    }
}
