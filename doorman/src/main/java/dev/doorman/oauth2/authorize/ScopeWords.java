package dev.doorman.oauth2.authorize;

import com.nimbusds.oauth2.sdk.Scope;

import java.util.List;
import java.util.Map;

/** Scopes as the consent page shows them. */
final class ScopeWords {
    private static final Map<String, String> WORDS = Map.of(
            "openid", "Confirm who you are (your account identifier)",
            "profile", "See your name",
            "email", "See your e-mail address and whether it is verified",
            "offline_access", "Stay connected when you are not using it");

    private ScopeWords() {
    }

    static List<String> describe(Scope scope) {
        return scope.toStringList().stream().map(s -> WORDS.getOrDefault(s, "Access \u201c" + s + "\u201d")).toList();
    }
}
