package dev.doorman.client;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.assertions.jwt.JWTAssertionDetailsVerifier;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.PlainClientSecret;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import dev.doorman.audit.AuditEvent;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditType;
import dev.doorman.support.ClientInfo;
import dev.doorman.support.Secrets;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Client authentication at the token, revocation, introspection and PAR endpoints (RFC 6749 §2.3, RFC 7523, OIDC Core
 * §9), pinned to the method the client is registered for:
 * <ul>
 *   <li>{@code client_secret_basic} / {@code client_secret_post}: the SHA-256 of the presented secret is compared in
 *       constant time with the stored one;</li>
 *   <li>{@code private_key_jwt}: the assertion must be a canonical compact JWS of at most 8 KiB, signed with RS256,
 *       PS256 or ES256 (never HS* or none) by a key of the client's registered JWK set, with {@code iss = sub =
 *       client_id}, an {@code aud} naming our issuer or the endpoint, an {@code exp} at most 5 minutes ahead, an
 *       {@code iat} not in the future and a {@code jti} never seen before (kept until the assertion expires);</li>
 *   <li>{@code none}: a public client names itself with {@code client_id} and nothing else.</li>
 * </ul>
 * Every failure is the same {@code invalid_client}; the audit trail records the reason.
 *
 * <p>Why not Nimbus' {@code ClientAuthenticationVerifier}: its claims check reads the system clock ({@code new Date()}),
 * not the injected one, and cannot be given another; and it checks a jti as expended before verifying the signature and
 * marks it after, two steps that concurrent requests can interleave. So this class uses Nimbus for the parts (RSA and
 * ECDSA verifiers, JWK selection, the RFC 7523 claims verifier run on our clock) and claims the jti in one atomic insert.
 */
public final class DefaultClientAuthenticator implements ClientAuthenticator {
    /** How far ahead a client assertion may expire. */
    public static final Duration MAX_ASSERTION_LIFETIME = Duration.ofMinutes(5);
    /** Tolerated clock difference with the client, for exp, nbf and iat. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    private static final Set<String> ASSERTION_TYPES = Set.of("jwt", "client-authentication+jwt");
    private static final int MAX_JTI = 256;

    private final ClientStore clients;
    private final AssertionJtiStore jtis;
    private final Issuer issuer;
    private final AuditLog audit;
    private final Clock clock;

    public DefaultClientAuthenticator(ClientStore clients, AssertionJtiStore jtis, Issuer issuer, AuditLog audit, Clock clock) {
        this.clients = clients;
        this.jtis = jtis;
        this.issuer = issuer;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public Result authenticate(Optional<ClientAuthentication> authentication, Optional<ClientID> claimedId, URI endpoint) {
        return authenticate(authentication, claimedId, endpoint, ClientInfo.unknown());
    }

    @Override
    public Result authenticate(Optional<ClientAuthentication> authentication, Optional<ClientID> claimedId, URI endpoint, ClientInfo from) {
        if (authentication.isEmpty()) return withoutCredentials(claimedId, from);
        ClientAuthentication auth = authentication.get();
        boolean basic = auth instanceof ClientSecretBasic;
        ClientID id = auth.getClientID();
        Optional<StoredClient> found = clients.findStored(id);
        if (found.isEmpty()) {
            if (auth instanceof PlainClientSecret plain) Secrets.hash(plain.getClientSecret().getValue());   // as much work as a real check
            return unknownClient(id, basic, from);
        }
        StoredClient client = found.get();
        Optional<String> problem;
        if (claimedId.isPresent() && !claimedId.get().equals(id)) problem = Optional.of("client_id_mismatch");
        else if (!client.client().authMethod().equals(auth.getMethod())) problem = Optional.of("auth_method_mismatch");
        else problem = switch (auth) {
            case PlainClientSecret plain -> secretProblem(client, plain.getClientSecret());
            case PrivateKeyJWT jwt -> assertionProblem(client, jwt, endpoint);
            default -> Optional.of("auth_method_not_supported");
        };
        return problem.<Result>map(reason -> failed(id, reason, basic, from)).orElseGet(() -> new Result.Authenticated(client.client()));
    }

    /** A public client names itself; a confidential one must authenticate. */
    private Result withoutCredentials(Optional<ClientID> claimedId, ClientInfo from) {
        if (claimedId.isEmpty()) {
            audit.failure(AuditType.CLIENT_AUTHENTICATION_FAILED, "client_id_missing", Optional.empty(), from);
            return new Result.Failed(OAuth2Error.INVALID_CLIENT, false);
        }
        ClientID id = claimedId.get();
        Optional<StoredClient> client = clients.findStored(id);
        if (client.isEmpty()) return unknownClient(id, false, from);
        if (client.get().client().confidential()) return failed(id, "authentication_required", false, from);
        return new Result.Authenticated(client.get().client());
    }

    private static Optional<String> secretProblem(StoredClient client, Secret presented) {
        byte[] stored = client.secretHash().orElseThrow().getBytes(StandardCharsets.US_ASCII);
        byte[] given = Secrets.hash(presented.getValue()).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(stored, given) ? Optional.empty() : Optional.of("invalid_secret");
    }

    private Optional<String> assertionProblem(StoredClient client, PrivateKeyJWT auth, URI endpoint) {
        SignedJWT jwt = auth.getClientAssertion();
        String compact = jwt.getParsedString();
        if (compact == null || ClientAssertions.problem(compact).isPresent()) return Optional.of("assertion_malformed");
        JWSHeader header = jwt.getHeader();
        if (!ClientRules.ASSERTION_ALGORITHMS.contains(header.getAlgorithm())) return Optional.of("assertion_algorithm_refused");
        if (header.getIncludedParams().contains("crit")) return Optional.of("assertion_crit_refused");
        if (!typeAllowed(header.getType())) return Optional.of("assertion_type_refused");
        if (!signatureValid(jwt, client.jwks().orElseThrow())) return Optional.of("assertion_signature_invalid");
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return Optional.of("assertion_malformed");
        }
        Instant now = clock.instant();
        Optional<String> claimsProblem = claimsProblem(client.client().id(), claims, endpoint, now);
        if (claimsProblem.isPresent()) return claimsProblem;
        Instant keepUntil = claims.getExpirationTime().toInstant().plus(CLOCK_SKEW);
        String jtiHash = Secrets.hash(client.client().id().getValue() + " " + claims.getJWTID());
        return jtis.claim(jtiHash, keepUntil, now) ? Optional.empty() : Optional.of("assertion_replayed");
    }

    /** RFC 7523 §3 and OIDC Core §9, checked by Nimbus on our clock, plus what it leaves out. */
    private Optional<String> claimsProblem(ClientID id, JWTClaimsSet claims, URI endpoint, Instant now) {
        var verifier = new JWTAssertionDetailsVerifier(Set.of(new Audience(issuer.getValue()), new Audience(endpoint.toString()))) {
            @Override
            protected Date currentTime() {
                return Date.from(now);
            }
        };
        verifier.setMaxClockSkew((int) CLOCK_SKEW.toSeconds());
        try {
            verifier.verify(claims, null);   // iss, sub, aud, exp present; aud names us; not expired; nbf passed
        } catch (BadJWTException e) {
            String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            return Optional.of(message.contains("expired") ? "assertion_expired"
                    : message.contains("aud") ? "assertion_audience_refused" : "assertion_claims_invalid");
        }
        if (!id.getValue().equals(claims.getIssuer()) || !id.getValue().equals(claims.getSubject()))
            return Optional.of("assertion_issuer_mismatch");
        String jti = claims.getJWTID();
        if (jti == null || jti.isBlank() || jti.length() > MAX_JTI) return Optional.of("assertion_jti_missing");
        if (claims.getExpirationTime().toInstant().isAfter(now.plus(MAX_ASSERTION_LIFETIME).plus(CLOCK_SKEW)))
            return Optional.of("assertion_expires_too_late");
        Date iat = claims.getIssueTime();
        if (iat != null && iat.toInstant().isAfter(now.plus(CLOCK_SKEW))) return Optional.of("assertion_issued_in_future");
        return Optional.empty();
    }

    /** Absent, {@code JWT}, or {@code client-authentication+jwt}: never another token type such as {@code at+jwt}. */
    private static boolean typeAllowed(JOSEObjectType type) {
        if (type == null) return true;
        String value = type.getType().toLowerCase(Locale.ROOT);
        if (value.startsWith("application/")) value = value.substring("application/".length());
        return ASSERTION_TYPES.contains(value);
    }

    /** Tries each registered key that fits the header (kty for the algorithm, kid when given, use sig). */
    private static boolean signatureValid(SignedJWT jwt, JWKSet keys) {
        for (JWK key : new JWKSelector(JWKMatcher.forJWSHeader(jwt.getHeader())).select(keys)) {
            try {
                JWSVerifier verifier = switch (key) {
                    case RSAKey rsa -> new RSASSAVerifier(rsa);
                    case ECKey ec -> new ECDSAVerifier(ec);
                    default -> null;
                };
                if (verifier != null && jwt.verify(verifier)) return true;
            } catch (JOSEException e) {
                // this key cannot verify this algorithm: try the next one
            }
        }
        return false;
    }

    private Result unknownClient(ClientID id, boolean basic, ClientInfo from) {
        audit.unknownIdentifier(AuditType.CLIENT_AUTHENTICATION_FAILED, AuditEvent.Outcome.FAILURE, "unknown_client", id.getValue(), from);
        return new Result.Failed(OAuth2Error.INVALID_CLIENT, basic);
    }

    private Result failed(ClientID id, String reason, boolean basic, ClientInfo from) {
        audit.clientEvent(AuditType.CLIENT_AUTHENTICATION_FAILED, AuditEvent.Outcome.FAILURE, Optional.of(reason), id.getValue(), from);
        return new Result.Failed(OAuth2Error.INVALID_CLIENT, basic);
    }
}
