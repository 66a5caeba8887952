package dev.doorman.resource;

import dev.doorman.authz.Subject;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Reads the {@code Authorization} header of a request the way RFC 6750 §2.1 says and verifies the bearer token.
 * Only the header is a source: tokens in the query string or a form body are never looked at (RFC 9700 §2.5).
 * No web framework here: adapters pass the header values in and map the {@link Outcome} to HTTP.
 */
public final class BearerAuthenticator {
    private static final Logger LOG = Logger.getLogger(BearerAuthenticator.class.getName());
    /** RFC 6750 §2.1 b64token. */
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");
    private static final int MAX_HEADER_CHARS = JwtAccessTokenVerifier.MAX_TOKEN_CHARS + 16;

    public sealed interface Outcome {
        record Authenticated(Subject subject) implements Outcome { }

        /** No bearer credentials at all: 401 with a bare {@code Bearer} challenge. */
        record NoToken() implements Outcome { }

        /** More than one Authorization header: 400 {@code invalid_request}. */
        record InvalidRequest() implements Outcome { }

        /** 401 {@code invalid_token}; the reason is for logs. */
        record InvalidToken(String reason) implements Outcome { }

        /** The issuer cannot be reached to judge the token: 503. */
        record Unavailable(String reason) implements Outcome { }
    }

    private final TokenVerifier verifier;

    public BearerAuthenticator(TokenVerifier verifier) {
        this.verifier = Objects.requireNonNull(verifier);
    }

    /** @param authorizationHeaders every value of the request's {@code Authorization} header, in order */
    public Outcome authenticate(List<String> authorizationHeaders) {
        if (authorizationHeaders.isEmpty()) return new Outcome.NoToken();
        if (authorizationHeaders.size() > 1) return new Outcome.InvalidRequest();
        String value = authorizationHeaders.getFirst();
        if (value.length() > MAX_HEADER_CHARS) return invalid("header_too_large");
        int space = value.indexOf(' ');
        String scheme = space < 0 ? value : value.substring(0, space);
        // Another scheme (Basic, DPoP…) is no bearer credential: answer as if none was sent.
        if (!scheme.toLowerCase(Locale.ROOT).equals("bearer")) return new Outcome.NoToken();
        String token = space < 0 ? "" : value.substring(space + 1).strip();
        if (!B64TOKEN.matcher(token).matches()) return invalid("not_a_b64token");
        return switch (verifier.verify(token)) {
            case Verification.Verified v -> new Outcome.Authenticated(v.subject());
            case Verification.Rejected r -> invalid(r.reason());
            case Verification.Unavailable u -> {
                LOG.warning("bearer token not verifiable, answering 503: " + u.reason());
                yield new Outcome.Unavailable(u.reason());
            }
        };
    }

    private static Outcome invalid(String reason) {
        if (LOG.isLoggable(Level.FINE)) LOG.fine("bearer token rejected: " + reason);
        return new Outcome.InvalidToken(reason);
    }
}
