package dev.doorman.resource;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Verifies JWT access tokens (RFC 9068) issued by one Doorman (or any RFC 9068 issuer) for one API, locally,
 * against the issuer's published keys. Nimbus checks the signature and the standard claims; around it stand
 * the checks Nimbus does not make (SECURITY.md, "JWT verification: what Nimbus does not do for you"):
 * <ol>
 *   <li>a size cap before anything is parsed, strict compact form (exactly three non-empty parts, so no JWE, no
 *       JSON serialization, no unsigned token), canonical base64url in every part;</li>
 *   <li>header and payload must each be one JSON object in UTF-8, with no byte-order mark, no duplicate member at
 *       any depth, bounded nesting;</li>
 *   <li>the header may carry only {@code alg}, {@code kid}, {@code typ} (and the harmless thumbprints): any
 *       {@code jwk}, {@code jku}, {@code x5u}, {@code x5c}, {@code crit} (even empty), {@code b64}, {@code cty},
 *       {@code zip} or JWE member rejects the token; {@code typ} must be {@code at+jwt};</li>
 *   <li>{@code alg} from the configured allow-list only (never a symmetric or {@code none} algorithm), and the key is
 *       chosen by {@code kid} among the issuer's keys and must be bound to that very algorithm;</li>
 *   <li>{@code iss} exact, {@code aud} containing this API, {@code exp} and {@code iat} required, {@code nbf}, an
 *       {@code iat} in the future and a lifetime longer than the configured maximum all checked with a skew of
 *       at most 60 s; {@code sub}, {@code jti}, {@code client_id} required;</li>
 *   <li>the {@code jti} must not be on the issuer's revocation feed.</li>
 * </ol>
 * Thread-safe; build one per API and share it.
 */
public final class JwtAccessTokenVerifier implements TokenVerifier {
    /** The largest token looked at (RFC 8725bis size limits; SECURITY.md JW-08). */
    public static final int MAX_TOKEN_CHARS = 8 * 1024;
    /** The largest decoded header: ours are under 100 bytes. */
    public static final int MAX_HEADER_BYTES = 1024;
    public static final Duration MAX_CLOCK_SKEW = Duration.ofSeconds(60);
    private static final Pattern COMPACT_JWS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    private static final Set<String> ALLOWED_HEADER = Set.of("alg", "kid", "typ", "x5t", "x5t#S256");
    private static final Set<String> ACCESS_TOKEN_TYPES = Set.of("at+jwt", "application/at+jwt");
    private static final Set<String> RFC_9068_CLAIMS = Set.of("iss", "sub", "aud", "exp", "iat", "jti", "client_id");
    private static final Pattern PRINTABLE_KID = Pattern.compile("[\\x21-\\x7E]{1,128}");

    private final String issuer;
    private final String audience;
    private final Set<JWSAlgorithm> algorithms;
    private final Duration skew;
    private final Duration maxLifetime;
    private final Clock clock;
    private final JwksCache keys;
    private final Optional<RevocationFeed> revocations;
    private final IssuerHttp http;
    private final DefaultJWTClaimsVerifier<?> claimsVerifier;

    private JwtAccessTokenVerifier(Builder b) {
        this.issuer = b.issuer.toString();
        this.audience = b.audience;
        this.algorithms = Set.copyOf(b.advanced.algorithms);
        this.skew = b.advanced.clockSkew;
        this.maxLifetime = b.advanced.maxLifetime;
        this.clock = b.advanced.clock;
        this.http = new IssuerHttp(b.advanced.connectTimeout, b.advanced.requestTimeout);
        this.keys = new JwksCache(b.issuer, b.jwksUri, algorithms, http, clock, b.advanced.jwksCacheTtl, b.advanced.jwksRefetchInterval,
                b.advanced.jwksMaxStale);
        var required = new HashSet<>(RFC_9068_CLAIMS);
        required.addAll(b.advanced.requiredClaims);
        this.claimsVerifier = new DefaultJWTClaimsVerifier<>(Set.of(audience), new JWTClaimsSet.Builder().issuer(issuer).build(),
                required, Set.of()) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claimsVerifier.setMaxClockSkew((int) skew.toSeconds());
        this.revocations = b.advanced.revocationFeed
                .map(feed -> new RevocationFeed(feed, http, clock, b.advanced.revocationPollInterval, b.advanced.revocationMaxStaleness));
        keys.warmUp();
    }

    /**
     * @param issuer   the issuer exactly as it appears in tokens' {@code iss} and its discovery document
     * @param audience this API's identifier, which tokens must carry in {@code aud}
     */
    public static Builder builder(URI issuer, String audience) {
        return new Builder(issuer, audience);
    }

    @Override
    public Verification verify(String token) {
        try {
            return verifyOrThrow(token);
        } catch (IssuerUnavailableException e) {
            return new Verification.Unavailable(e.getMessage());
        } catch (RuntimeException e) {
            // Whatever a hostile token makes a parser throw is a rejection, never an acceptance or a 500.
            return rejected("unexpected: " + e.getClass().getSimpleName());
        }
    }

    private Verification verifyOrThrow(String token) throws IssuerUnavailableException {
        if (token == null || token.isEmpty()) return rejected("missing");
        if (token.length() > MAX_TOKEN_CHARS) return rejected("too_large");
        if (!COMPACT_JWS.matcher(token).matches()) return rejected("not_compact_jws");
        String[] parts = token.split("\\.");
        for (String part : parts) {
            if (!isCanonicalBase64Url(part)) return rejected("non_canonical_base64url");
        }
        byte[] headerBytes = Base64.getUrlDecoder().decode(parts[0]);
        if (headerBytes.length > MAX_HEADER_BYTES) return rejected("header_too_large");
        byte[] payloadBytes = Base64.getUrlDecoder().decode(parts[1]);
        if (!isUtf8(headerBytes) || !isUtf8(payloadBytes)) return rejected("not_utf8");
        if (!StrictJson.isSingleObject(headerBytes) || !StrictJson.isSingleObject(payloadBytes)) return rejected("not_strict_json");

        SignedJWT jwt;
        JWSHeader header;
        Map<String, Object> rawClaims;
        try {
            // The raw members, as sent: Nimbus drops an empty crit list and turns a numeric sub into a string.
            if (!ALLOWED_HEADER.containsAll(JSONObjectUtils.parse(new String(headerBytes, StandardCharsets.UTF_8)).keySet()))
                return rejected("forbidden_header_parameter");
            rawClaims = JSONObjectUtils.parse(new String(payloadBytes, StandardCharsets.UTF_8));
            jwt = new SignedJWT(new Base64URL(parts[0]), new Base64URL(parts[1]), new Base64URL(parts[2]));
            header = jwt.getHeader();
        } catch (ParseException e) {
            return rejected("bad_header");
        }
        if (!ALLOWED_HEADER.containsAll(header.getIncludedParams())) return rejected("forbidden_header_parameter");
        if (!algorithms.contains(header.getAlgorithm())) return rejected("algorithm_not_allowed");
        if (header.getType() == null || !ACCESS_TOKEN_TYPES.contains(header.getType().getType().toLowerCase(Locale.ROOT)))
            return rejected("not_an_access_token");
        String kid = header.getKeyID();
        if (kid == null || !PRINTABLE_KID.matcher(kid).matches()) return rejected("bad_kid");

        boolean signed = false;
        for (JwksCache.Key key : keys.keysFor(kid)) {
            if (!key.algorithm().equals(header.getAlgorithm())) continue;   // the key is bound to another algorithm
            try {
                if (jwt.verify(key.verifier())) {
                    signed = true;
                    break;
                }
            } catch (JOSEException | IllegalStateException e) {
                return rejected("signature_unverifiable");
            }
        }
        if (!signed) return rejected("bad_signature_or_unknown_key");

        JWTClaimsSet claims;
        try {
            claims = JWTClaimsSet.parse(rawClaims);   // the members already parsed above; the signature covers their bytes
            claimsVerifier.verify(claims, null);
        } catch (ParseException | BadJWTException e) {
            return rejected("claims: " + e.getMessage());
        }
        if (!hasRfc9068Types(rawClaims)) return rejected("claim_type");
        Instant now = clock.instant();
        Instant issuedAt = claims.getIssueTime().toInstant();
        Instant expires = claims.getExpirationTime().toInstant();
        if (issuedAt.isAfter(now.plus(skew))) return rejected("issued_in_the_future");
        if (Duration.between(issuedAt, expires).compareTo(maxLifetime) > 0) return rejected("lifetime_too_long");
        if (revocations.isPresent() && revocations.get().isRevoked(claims.getJWTID())) return rejected("revoked");
        try {
            return new Verification.Verified(SubjectClaims.toSubject(rawClaims));
        } catch (IllegalArgumentException e) {
            return rejected("claim_type: " + e.getMessage());
        }
    }

    /** Reads the revocation feed now (tests, or an app that wants a revocation to apply without waiting a poll). */
    void pollRevocations() throws Exception {
        if (revocations.isPresent()) revocations.get().poll();
    }

    @Override
    public void close() {
        revocations.ifPresent(RevocationFeed::close);
        http.close();
    }

    /** String claims are strings, times are numbers, {@code aud} a string or an array of strings: nothing coerced. */
    private static boolean hasRfc9068Types(Map<String, Object> raw) {
        for (String name : List.of("iss", "sub", "jti", "client_id")) {
            if (!(raw.get(name) instanceof String)) return false;
        }
        for (String name : List.of("exp", "iat", "nbf", "auth_time")) {
            if (raw.containsKey(name) && !(raw.get(name) instanceof Number)) return false;
        }
        Object aud = raw.get("aud");
        return aud instanceof String || aud instanceof List<?> list && list.stream().allMatch(String.class::isInstance);
    }

    /** Decodes and encodes again: padding, stray bits in the last character or other alphabets never survive. */
    static boolean isCanonicalBase64Url(String part) {
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(part);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(part);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static Verification rejected(String reason) {
        return new Verification.Rejected(reason);
    }

    /** The safe surface: issuer, audience, and where the keys are when discovery should not be used. */
    public static final class Builder {
        private final URI issuer;
        private final String audience;
        private Optional<URI> jwksUri = Optional.empty();
        private final Advanced advanced;

        private Builder(URI issuer, String audience) {
            this.issuer = Objects.requireNonNull(issuer, "issuer");
            this.audience = Objects.requireNonNull(audience, "audience");
            if (!TrustedUris.acceptable(issuer)) throw new IllegalArgumentException("the issuer must be https (or http on a loopback address)");
            if (audience.isBlank()) throw new IllegalArgumentException("the audience must not be blank");
            this.advanced = new Advanced(issuer);
        }

        /** Where the keys are, instead of the {@code jwks_uri} of the issuer's discovery document. */
        public Builder jwksUri(URI uri) {
            if (!TrustedUris.acceptable(uri)) throw new IllegalArgumentException("the JWKS URI must be https (or http on a loopback address)");
            this.jwksUri = Optional.of(uri);
            return this;
        }

        /** The knobs that are safe by default and easy to get wrong: algorithms, skew, lifetimes, polling. */
        public Builder advanced(Consumer<Advanced> configure) {
            configure.accept(advanced);
            return this;
        }

        public JwtAccessTokenVerifier build() {
            return new JwtAccessTokenVerifier(this);
        }
    }

    /** Settings behind the explicit {@code advanced(...)} door, each validated as it is set. */
    public static final class Advanced {
        private static final Set<JWSAlgorithm> ASYMMETRIC = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
                JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512,
                JWSAlgorithm.EdDSA);

        private Set<JWSAlgorithm> algorithms = Set.of(JWSAlgorithm.RS256);
        private Duration clockSkew = Duration.ofSeconds(30);
        private Duration maxLifetime = Duration.ofHours(1);
        private final Set<String> requiredClaims = new LinkedHashSet<>();
        private Clock clock = Clock.systemUTC();
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration requestTimeout = Duration.ofSeconds(3);
        private Duration jwksCacheTtl = Duration.ofMinutes(5);
        private Duration jwksRefetchInterval = Duration.ofSeconds(30);
        private Duration jwksMaxStale = Duration.ofHours(1);
        private Optional<URI> revocationFeed;
        private Duration revocationPollInterval = Duration.ofSeconds(30);
        private Duration revocationMaxStaleness = Duration.ofMinutes(2);

        private Advanced(URI issuer) {
            String base = issuer.toString().endsWith("/") ? issuer.toString().substring(0, issuer.toString().length() - 1) : issuer.toString();
            this.revocationFeed = Optional.of(URI.create(base + "/oauth2/revoked"));
        }

        /**
         * The algorithms tokens may be signed with (default RS256). Asymmetric only: HMAC algorithms would let anyone
         * holding the public key forge tokens, and {@code none} is no signature at all.
         */
        public Advanced algorithms(String... names) {
            if (names.length == 0) throw new IllegalArgumentException("at least one algorithm");
            var chosen = new LinkedHashSet<JWSAlgorithm>();
            for (String name : names) {
                JWSAlgorithm alg = ASYMMETRIC.stream().filter(a -> a.getName().equals(name)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("not an accepted signature algorithm: " + name
                                + " (only asymmetric ones: RS*, PS*, ES*, EdDSA)"));
                chosen.add(alg);
            }
            this.algorithms = Set.copyOf(chosen);
            return this;
        }

        /** Leeway for {@code exp}, {@code nbf} and {@code iat} against clock drift: 0 to 60 s (default 30 s). */
        public Advanced clockSkew(Duration skew) {
            if (skew.isNegative() || skew.compareTo(MAX_CLOCK_SKEW) > 0) throw new IllegalArgumentException("clock skew must be 0 to 60 seconds");
            this.clockSkew = skew;
            return this;
        }

        /** The longest lifetime ({@code exp - iat}) accepted: the issuer's longest access-token lifetime (default 1 h). */
        public Advanced maxLifetime(Duration lifetime) {
            if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(Duration.ofDays(1)) > 0)
                throw new IllegalArgumentException("maximum lifetime must be positive and at most a day");
            this.maxLifetime = lifetime;
            return this;
        }

        /** Claims a token must carry beyond RFC 9068's iss, sub, aud, exp, iat, jti, client_id. */
        public Advanced requiredClaims(String... names) {
            requiredClaims.addAll(List.of(names));
            return this;
        }

        public Advanced clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** How long to wait for the issuer: connecting, and the whole request (defaults 2 s and 3 s). */
        public Advanced timeouts(Duration connect, Duration request) {
            this.connectTimeout = Objects.requireNonNull(connect);
            this.requestTimeout = Objects.requireNonNull(request);
            return this;
        }

        /**
         * Key caching: keys are fresh for {@code ttl} (default 5 min); an unknown {@code kid} refetches at most once per
         * {@code refetchInterval} (default 30 s); when the issuer cannot be reached, cached keys serve for up to
         * {@code maxStale} (default 1 h) before verification fails closed.
         */
        public Advanced jwksCaching(Duration ttl, Duration refetchInterval, Duration maxStale) {
            if (refetchInterval.compareTo(Duration.ofSeconds(1)) < 0) throw new IllegalArgumentException("refetch interval at least 1 s");
            this.jwksCacheTtl = ttl;
            this.jwksRefetchInterval = refetchInterval;
            this.jwksMaxStale = maxStale;
            return this;
        }

        /**
         * Revocation polling (default: {@code {issuer}/oauth2/revoked} every 30 s; fail closed when not read for 2 min).
         * The staleness window is one {@code interval}: a revoked token may be accepted that long after its revocation.
         */
        public Advanced revocationFeed(URI feed, Duration interval, Duration maxStaleness) {
            if (!TrustedUris.acceptable(feed)) throw new IllegalArgumentException("the revocation feed must be https (or http on a loopback address)");
            if (maxStaleness.compareTo(interval) < 0) throw new IllegalArgumentException("max staleness must be at least one poll interval");
            this.revocationFeed = Optional.of(feed);
            this.revocationPollInterval = interval;
            this.revocationMaxStaleness = maxStaleness;
            return this;
        }

        /**
         * For an issuer that publishes no revocation feed: revoked tokens then stay valid until they expire, so keep
         * their lifetime short. Say so explicitly; it is never the default.
         */
        public Advanced withoutRevocationFeed() {
            this.revocationFeed = Optional.empty();
            return this;
        }
    }
}
