package dev.doorman.resource;

import java.util.Collection;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code WWW-Authenticate} values (RFC 6750 §3): nothing beyond the error code and, for a missing scope, the
 * scope needed; never why a token failed, which would tell an attacker which check to work around.
 */
public final class Challenges {
    /** RFC 6749 §3.3 scope-token: printable ASCII without space, double quote or backslash; safe inside quotes. */
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

    private final Optional<String> realm;

    /** @param realm an optional realm, shown in every challenge */
    public Challenges(Optional<String> realm) {
        realm.ifPresent(r -> {
            if (!SCOPE_TOKEN.matcher(r.replace(' ', '!')).matches()) throw new IllegalArgumentException("realm must be printable ASCII without quotes");
        });
        this.realm = realm;
    }

    /** No credentials were sent: just the scheme (RFC 6750 §3.1: no error code). */
    public String missing() {
        return realm.map(r -> "Bearer realm=\"" + r + "\"").orElse("Bearer");
    }

    public String invalidToken() {
        return withParams("error=\"invalid_token\"");
    }

    public String invalidRequest() {
        return withParams("error=\"invalid_request\"");
    }

    /** @param scopes the scopes the request needs; empty when what is missing is not a scope (a role, a permission) */
    public String insufficientScope(Collection<String> scopes) {
        return withParams(scopes.isEmpty() ? "error=\"insufficient_scope\""
                : "error=\"insufficient_scope\", scope=\"" + String.join(" ", scopes) + "\"");
    }

    /** Scope names as they may appear in a challenge. */
    public static String requireScopeToken(String scope) {
        if (!SCOPE_TOKEN.matcher(scope).matches()) throw new IllegalArgumentException("not a scope token: " + scope);
        return scope;
    }

    private String withParams(String params) {
        return realm.map(r -> "Bearer realm=\"" + r + "\", " + params).orElse("Bearer " + params);
    }
}
