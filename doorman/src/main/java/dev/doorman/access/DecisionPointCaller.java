package dev.doorman.access;

import dev.doorman.oauth2.token.AccessTokenVerifier;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who may ask the decision point: a bearer access token issued by Doorman for Doorman itself (aud = the issuer),
 * valid and not revoked, carrying the {@link AccessPaths#DECISION_SCOPE} scope (RFC 6750).
 */
public final class DecisionPointCaller {
    /** RFC 6750 §2.1 b64token. */
    private static final Pattern BEARER = Pattern.compile("(?i)Bearer +([A-Za-z0-9._~+/-]+=*)");

    public sealed interface Outcome {
        record Allowed(String clientId) implements Outcome { }

        /** No credentials at all: 401 with a bare challenge (RFC 6750 §3.1). */
        record NoToken() implements Outcome { }

        /** @param reason for logs only */
        record InvalidToken(String reason) implements Outcome { }

        record InsufficientScope() implements Outcome { }
    }

    private final AccessTokenVerifier verifier;

    /** @param verifier accepts tokens whose audience is Doorman's issuer */
    public DecisionPointCaller(AccessTokenVerifier verifier) {
        this.verifier = verifier;
    }

    /** @param authorization the Authorization header, if any */
    public Outcome check(Optional<String> authorization) {
        if (authorization.isEmpty() || authorization.get().isBlank()) return new Outcome.NoToken();
        var m = BEARER.matcher(authorization.get().strip());
        if (!m.matches()) {
            return authorization.get().strip().toLowerCase(Locale.ROOT).startsWith("bearer")
                    ? new Outcome.InvalidToken("malformed") : new Outcome.NoToken();
        }
        return switch (verifier.verify(m.group(1))) {
            case AccessTokenVerifier.Result.Invalid invalid -> new Outcome.InvalidToken(invalid.reason());
            case AccessTokenVerifier.Result.Valid valid -> {
                Object scope = valid.claims().getClaim("scope");
                boolean granted = scope instanceof String s && Arrays.asList(s.split(" ")).contains(AccessPaths.DECISION_SCOPE);
                Object clientId = valid.claims().getClaim("client_id");
                yield granted ? new Outcome.Allowed(String.valueOf(clientId)) : new Outcome.InsufficientScope();
            }
        };
    }
}
