package dev.doorman.oauth2.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.id.Issuer;

import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.PublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Verifies Doorman's own JWT access tokens (RFC 9068) wherever Doorman accepts one (userinfo, its own APIs).
 * Nimbus checks the signature, the algorithm-to-key binding, {@code typ}, {@code iss}, {@code aud}, {@code exp} and
 * {@code nbf}; in front of and after it come the checks Nimbus does not make (SECURITY.md, "JWT verification"):
 * a size cap, strict compact form with canonical base64url, no key-bearing or critical headers, no byte-order
 * mark, {@code iat} not in the future, a lifetime no longer than the longest we issue, and the revocation list.
 */
public final class AccessTokenVerifier {
    public static final int MAX_TOKEN_CHARS = 8 * 1024;
    private static final Pattern COMPACT_JWS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    private static final Set<String> REQUIRED = Set.of("iss", "sub", "aud", "exp", "iat", "jti", "client_id");
    private static final Duration SKEW = Duration.ofSeconds(60);

    public sealed interface Result {
        record Valid(JWTClaimsSet claims) implements Result { }

        /** @param reason for logs only; callers answer every failure with the same {@code invalid_token} */
        record Invalid(String reason) implements Result { }
    }

    private final Duration maxLifetime;
    private final Clock clock;
    private final Predicate<String> revoked;
    // Built once: it holds no per-token state, and the key selector reads the current key set on every call.
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    /**
     * @param audiences   a token must name at least one of these; empty: any audience (the caller applies its own
     *                    policy, as introspection and revocation do), though {@code aud} must still be present
     * @param maxLifetime the longest access-token lifetime Doorman issues
     * @param revoked     whether a {@code jti} is on the revocation list
     */
    public AccessTokenVerifier(Supplier<JWKSet> keys, Issuer issuer, Set<String> audiences, Duration maxLifetime, Clock clock,
                               Predicate<String> revoked) {
        this.maxLifetime = maxLifetime;
        this.clock = clock;
        this.revoked = revoked;
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(TokenIssuer.ACCESS_TOKEN_TYPE, new JOSEObjectType("application/at+jwt")));
        processor.setJWSKeySelector(new KeySelector(keys));
        processor.setJWSVerifierFactory(new DefaultJWSVerifierFactory() {
            @Override
            public JWSVerifier createJWSVerifier(JWSHeader h, Key key) throws JOSEException {
                return key instanceof Ed25519PublicKey okp ? new Ed25519Verifier(okp.jwk()) : super.createJWSVerifier(h, key);
            }
        });
        var claimsVerifier = new DefaultJWTClaimsVerifier<>(audiences.isEmpty() ? null : Set.copyOf(audiences),
                new JWTClaimsSet.Builder().issuer(issuer.getValue()).build(), REQUIRED, Set.of()) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claimsVerifier.setMaxClockSkew((int) SKEW.toSeconds());
        processor.setJWTClaimsSetVerifier(claimsVerifier);
    }

    public Result verify(String token) {
        if (token == null || token.isEmpty()) return invalid("missing");
        if (token.length() > MAX_TOKEN_CHARS) return invalid("too_large");
        if (!COMPACT_JWS.matcher(token).matches()) return invalid("not_compact_jws");
        for (String part : token.split("\\.")) {
            if (!isCanonicalBase64Url(part)) return invalid("non_canonical_base64url");
        }
        String headerJson = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))), StandardCharsets.UTF_8);
        if (headerJson.startsWith("\uFEFF")) return invalid("byte_order_mark");
        JWSHeader header;
        try {
            header = JWSHeader.parse(headerJson);
        } catch (ParseException e) {
            return invalid("bad_header");
        }
        if (header.getJWK() != null || header.getJWKURL() != null || header.getX509CertURL() != null
                || header.getX509CertChain() != null || header.getCriticalParams() != null || !header.isBase64URLEncodePayload())
            return invalid("forbidden_header");

        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException | BadJOSEException | JOSEException e) {
            return invalid("rejected: " + e.getMessage());
        }
        Instant now = clock.instant();
        Instant issuedAt = claims.getIssueTime().toInstant();
        Instant expires = claims.getExpirationTime().toInstant();
        if (issuedAt.isAfter(now.plus(SKEW))) return invalid("issued_in_the_future");
        if (Duration.between(issuedAt, expires).compareTo(maxLifetime) > 0) return invalid("lifetime_too_long");
        if (revoked.test(claims.getJWTID())) return invalid("revoked");
        return new Result.Valid(claims);
    }

    /**
     * Keys for a header: only of the algorithms our keys are bound to, matched by kid, key type and the key's own
     * alg (JW-02). Nimbus' stock selector skips Ed25519 (OKP) keys, so those travel wrapped and get their own verifier.
     */
    private record KeySelector(Supplier<JWKSet> keys) implements JWSKeySelector<SecurityContext> {
        @Override
        public List<Key> selectJWSKeys(JWSHeader header, SecurityContext context) throws KeySourceException {
            JWKSet keySet = keys.get();
            JWSAlgorithm alg = header.getAlgorithm();
            if (keySet.getKeys().stream().noneMatch(k -> alg.equals(k.getAlgorithm()))) return List.of();
            var selected = new ArrayList<Key>();
            for (JWK jwk : new JWKSelector(JWKMatcher.forJWSHeader(header)).select(keySet)) {
                if (jwk.getAlgorithm() == null || !jwk.getAlgorithm().equals(alg)) continue;
                try {
                    switch (jwk) {
                        case RSAKey rsa -> selected.add(rsa.toRSAPublicKey());
                        case ECKey ec -> selected.add(ec.toECPublicKey());
                        case OctetKeyPair okp when Curve.Ed25519.equals(okp.getCurve()) -> selected.add(new Ed25519PublicKey(okp.toPublicJWK()));
                        default -> { }
                    }
                } catch (JOSEException e) {
                    throw new KeySourceException("unusable key " + jwk.getKeyID(), e);
                }
            }
            return selected;
        }
    }

    /** An Ed25519 public JWK where Nimbus' processor expects a {@link Key}. */
    private record Ed25519PublicKey(OctetKeyPair jwk) implements PublicKey {
        @Override
        public String getAlgorithm() {
            return "Ed25519";
        }

        @Override
        public String getFormat() {
            return null;
        }

        @Override
        public byte[] getEncoded() {
            return null;
        }
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

    private static Result invalid(String reason) {
        return new Result.Invalid(reason);
    }
}
