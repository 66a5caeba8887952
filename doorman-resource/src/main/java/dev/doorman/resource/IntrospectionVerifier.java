package dev.doorman.resource;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.doorman.authz.Subject;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Verifies a bearer token by asking the issuer (RFC 7662 introspection), authenticated as a confidential client
 * with {@code client_secret_basic}. For apps that cannot or should not verify JWTs themselves, and for opaque tokens.
 * <p>
 * The issuer's answer must say {@code active: true}, {@code token_type} Bearer (a refresh token is never an
 * access credential), {@code iss} exactly our issuer, an {@code aud} containing this API, an {@code exp} still
 * ahead and a {@code sub}. Answers are cached for a short time (default 10 s, never past the token's {@code exp}),
 * keyed by the SHA-256 of the token, never the token itself: revocation reaches this API within that time.
 * An issuer that cannot be reached is {@link Verification.Unavailable} (503), never a cached or default "yes".
 */
public final class IntrospectionVerifier implements TokenVerifier {
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");
    private static final int MAX_RESPONSE_BYTES = 64 * 1024;

    private record Cached(Verification verification, Instant until) { }

    private final String issuer;
    private final String audience;
    private final String authorization;
    private final Optional<URI> configuredEndpoint;
    private final Duration cacheTtl;
    private final int maxCacheEntries;
    private final Clock clock;
    private final IssuerHttp http;
    private final Map<String, Cached> cache;
    private volatile URI endpoint;

    private IntrospectionVerifier(Builder b) {
        this.issuer = b.issuer.toString();
        this.audience = b.audience;
        // RFC 6749 §2.3.1: client id and secret are form-encoded before Basic encoding.
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((URLEncoder.encode(b.clientId, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(b.clientSecret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        this.configuredEndpoint = b.endpoint;
        this.cacheTtl = b.cacheTtl;
        this.maxCacheEntries = b.maxCacheEntries;
        this.clock = b.clock;
        this.http = new IssuerHttp(b.connectTimeout, b.requestTimeout);
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                return size() > maxCacheEntries;
            }
        };
    }

    /**
     * @param issuer       the issuer exactly as in its discovery document and its tokens' {@code iss}
     * @param audience     this API's identifier, which must be in the token's {@code aud}
     * @param clientId     this API's own client registration at the issuer, allowed to introspect
     * @param clientSecret that client's secret
     */
    public static Builder builder(URI issuer, String audience, String clientId, String clientSecret) {
        return new Builder(issuer, audience, clientId, clientSecret);
    }

    @Override
    public Verification verify(String token) {
        if (token == null || token.isEmpty()) return new Verification.Rejected("missing");
        if (token.length() > JwtAccessTokenVerifier.MAX_TOKEN_CHARS || !B64TOKEN.matcher(token).matches())
            return new Verification.Rejected("malformed");
        String key = sha256(token);
        Instant now = clock.instant();
        synchronized (cache) {
            Cached hit = cache.get(key);
            if (hit != null && now.isBefore(hit.until())) return hit.verification();
        }
        Map<String, Object> answer;
        try {
            answer = JSONObjectUtils.parse(http.postForm(endpoint(), authorization,
                    Map.of("token", token, "token_type_hint", "access_token"), MAX_RESPONSE_BYTES));
        } catch (IOException | ParseException e) {
            return new Verification.Unavailable("introspection failed: " + e.getMessage());
        }
        Verification verification = judge(answer, now);
        Instant until = now.plus(cacheTtl);
        if (verification instanceof Verification.Verified && answer.get("exp") instanceof Number exp
                && Instant.ofEpochSecond(exp.longValue()).isBefore(until))
            until = Instant.ofEpochSecond(exp.longValue());
        synchronized (cache) {
            cache.put(key, new Cached(verification, until));
        }
        return verification;
    }

    private Verification judge(Map<String, Object> answer, Instant now) {
        if (!Boolean.TRUE.equals(answer.get("active"))) return new Verification.Rejected("inactive");
        if (!(answer.get("token_type") instanceof String type) || !type.toLowerCase(Locale.ROOT).equals("bearer"))
            return new Verification.Rejected("not_an_access_token");
        if (!issuer.equals(answer.get("iss"))) return new Verification.Rejected("wrong_issuer");
        boolean forUs = switch (answer.get("aud")) {
            case String s -> s.equals(audience);
            case List<?> list -> list.contains(audience);
            case null, default -> false;
        };
        if (!forUs) return new Verification.Rejected("wrong_audience");
        if (!(answer.get("exp") instanceof Number exp) || !Instant.ofEpochSecond(exp.longValue()).isAfter(now))
            return new Verification.Rejected("expired");
        try {
            var claims = new HashMap<>(answer);
            // Introspection carries no grant-type marker; a Doorman client's token has the client as its subject
            // (client ids can never look like user ids, OA-24).
            if (claims.get("sub") != null && claims.get("sub").equals(claims.get("client_id"))) claims.put("gty", "client_credentials");
            Subject subject = SubjectClaims.toSubject(claims);
            return new Verification.Verified(subject);
        } catch (IllegalArgumentException e) {
            return new Verification.Rejected("claim_type: " + e.getMessage());
        }
    }

    private URI endpoint() throws IOException, ParseException {
        URI known = endpoint;
        if (known != null) return known;
        if (configuredEndpoint.isPresent()) return endpoint = configuredEndpoint.get();
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        var metadata = JSONObjectUtils.parse(http.get(URI.create(base + "/.well-known/openid-configuration"), MAX_RESPONSE_BYTES * 4));
        if (!issuer.equals(JSONObjectUtils.getString(metadata, "issuer"))) throw new ParseException("the discovery document names another issuer", 0);
        URI found = JSONObjectUtils.getURI(metadata, "introspection_endpoint");
        if (found == null || !TrustedUris.acceptable(found)) throw new ParseException("no usable introspection_endpoint", 0);
        return endpoint = found;
    }

    private static String sha256(String token) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        http.close();
    }

    public static final class Builder {
        private final URI issuer;
        private final String audience;
        private final String clientId;
        private final String clientSecret;
        private Optional<URI> endpoint = Optional.empty();
        private Duration cacheTtl = Duration.ofSeconds(10);
        private int maxCacheEntries = 10_000;
        private Clock clock = Clock.systemUTC();
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration requestTimeout = Duration.ofSeconds(3);

        private Builder(URI issuer, String audience, String clientId, String clientSecret) {
            this.issuer = Objects.requireNonNull(issuer);
            this.audience = Objects.requireNonNull(audience);
            this.clientId = Objects.requireNonNull(clientId);
            this.clientSecret = Objects.requireNonNull(clientSecret);
            if (!TrustedUris.acceptable(issuer)) throw new IllegalArgumentException("the issuer must be https (or http on a loopback address)");
        }

        /** The introspection endpoint, instead of the one in the issuer's discovery document. */
        public Builder endpoint(URI uri) {
            if (!TrustedUris.acceptable(uri)) throw new IllegalArgumentException("the endpoint must be https (or http on a loopback address)");
            this.endpoint = Optional.of(uri);
            return this;
        }

        /** How long an answer is reused (0 to 60 s, default 10 s): also how long a revoked token may still pass. */
        public Builder advanced(Consumer<Builder> configure) {
            configure.accept(this);
            return this;
        }

        public Builder cacheTtl(Duration ttl) {
            if (ttl.isNegative() || ttl.compareTo(Duration.ofSeconds(60)) > 0) throw new IllegalArgumentException("cache time 0 to 60 seconds");
            this.cacheTtl = ttl;
            return this;
        }

        public Builder maxCacheEntries(int entries) {
            this.maxCacheEntries = entries;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public Builder timeouts(Duration connect, Duration request) {
            this.connectTimeout = Objects.requireNonNull(connect);
            this.requestTimeout = Objects.requireNonNull(request);
            return this;
        }

        public IntrospectionVerifier build() {
            return new IntrospectionVerifier(this);
        }
    }
}
