package dev.doorman.resource;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;

import java.io.IOException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The issuer's public signing keys, found through its discovery document and cached. A key is only ever looked
 * up by the token's {@code kid} in this cache: no header of the token (jku, x5u, jwk, x5c) can point anywhere else.
 * <ul>
 *   <li>fresh for {@code ttl}; then refreshed on use, and a failed refresh keeps the old keys for up to {@code maxStale};</li>
 *   <li>an unknown {@code kid} (the issuer rotated) triggers at most one refetch per {@code refetchInterval}, so
 *       tokens with made-up kids cannot make us hammer the issuer;</li>
 *   <li>with no keys at all (the issuer was never reachable), every verification fails closed as unavailable.</li>
 * </ul>
 * Each key is bound to exactly one algorithm (JW-02): its own {@code alg}, or, when it publishes none, the
 * algorithm family its type and curve allow, intersected with the configured allow-list.
 */
final class JwksCache {
    private static final Logger LOG = Logger.getLogger(JwksCache.class.getName());
    private static final int MAX_DOCUMENT_BYTES = 256 * 1024;
    /** With an empty cache, how often to try again: sooner than the unknown-kid limit so an outage heals quickly. */
    private static final Duration EMPTY_RETRY = Duration.ofSeconds(5);

    /** A usable key: its JWK and a verifier made once for it. */
    record Key(JWK jwk, JWSAlgorithm algorithm, JWSVerifier verifier) { }

    private record Snapshot(Map<String, List<Key>> byKid, Instant fetchedAt) { }

    private final URI issuer;
    private final Optional<URI> configuredJwksUri;
    private final Set<JWSAlgorithm> allowed;
    private final IssuerHttp http;
    private final Clock clock;
    private final Duration ttl;
    private final Duration refetchInterval;
    private final Duration maxStale;

    private volatile Snapshot snapshot;
    private Instant lastAttempt;   // guarded by this
    private URI jwksUri;           // guarded by this; from discovery when not configured

    JwksCache(URI issuer, Optional<URI> jwksUri, Set<JWSAlgorithm> allowed, IssuerHttp http, Clock clock, Duration ttl,
              Duration refetchInterval, Duration maxStale) {
        this.issuer = issuer;
        this.configuredJwksUri = jwksUri;
        this.allowed = Set.copyOf(allowed);
        this.http = http;
        this.clock = clock;
        this.ttl = ttl;
        this.refetchInterval = refetchInterval;
        this.maxStale = maxStale;
    }

    /** Fetches once now (at start), so the first request does not wait; a failure is only logged. */
    void warmUp() {
        try {
            synchronized (this) {
                fetch();
            }
        } catch (IssuerUnavailableException e) {
            LOG.warning("signing keys of " + issuer + " not available yet: " + e.getMessage());
        }
    }

    /** The keys published under {@code kid} (empty when there is none, even after a permitted refetch). */
    List<Key> keysFor(String kid) throws IssuerUnavailableException {
        Snapshot s = current();
        List<Key> keys = s.byKid().get(kid);
        if (keys != null) return keys;
        Optional<Snapshot> refetched = refetchForUnknownKid(s);
        return refetched.map(r -> r.byKid().getOrDefault(kid, List.of())).orElse(List.of());
    }

    private Snapshot current() throws IssuerUnavailableException {
        Snapshot s = snapshot;
        Instant now = clock.instant();
        if (s != null && !now.isAfter(s.fetchedAt().plus(ttl))) return s;
        synchronized (this) {
            s = snapshot;
            if (s != null && !now.isAfter(s.fetchedAt().plus(ttl))) return s;
            Duration wait = s == null ? EMPTY_RETRY : refetchInterval;
            boolean mayTry = lastAttempt == null || !now.isBefore(lastAttempt.plus(wait));
            if (mayTry) {
                try {
                    return fetch();
                } catch (IssuerUnavailableException e) {
                    if (s == null) throw e;
                    LOG.warning("refreshing the signing keys of " + issuer + " failed, keeping the cached ones: " + e.getMessage());
                }
            }
            if (s == null) throw new IssuerUnavailableException("no signing keys of " + issuer + " yet");
            if (now.isAfter(s.fetchedAt().plus(maxStale)))
                throw new IssuerUnavailableException("the cached signing keys of " + issuer + " are older than " + maxStale);
            return s;
        }
    }

    private Optional<Snapshot> refetchForUnknownKid(Snapshot seen) throws IssuerUnavailableException {
        synchronized (this) {
            if (snapshot != seen) return Optional.of(snapshot);   // another thread just refetched
            Instant now = clock.instant();
            if (lastAttempt != null && now.isBefore(lastAttempt.plus(refetchInterval))) return Optional.empty();
            return Optional.of(fetch());
        }
    }

    /** Caller holds the lock. */
    private Snapshot fetch() throws IssuerUnavailableException {
        lastAttempt = clock.instant();
        try {
            if (jwksUri == null) jwksUri = configuredJwksUri.isPresent() ? configuredJwksUri.get() : discover();
            JWKSet set = JWKSet.parse(http.get(jwksUri, MAX_DOCUMENT_BYTES));
            var byKid = new HashMap<String, List<Key>>();
            for (JWK jwk : set.getKeys()) {
                usable(jwk).ifPresent(key -> byKid.computeIfAbsent(jwk.getKeyID(), k -> new ArrayList<>()).add(key));
            }
            byKid.replaceAll((kid, keys) -> List.copyOf(keys));
            Snapshot fresh = new Snapshot(Map.copyOf(byKid), clock.instant());
            snapshot = fresh;
            return fresh;
        } catch (IOException | ParseException e) {
            if (configuredJwksUri.isEmpty()) jwksUri = null;   // discover again next time: the issuer may have moved its keys
            throw new IssuerUnavailableException("fetching the signing keys of " + issuer + " failed: " + e.getMessage());
        }
    }

    private URI discover() throws IOException, ParseException {
        String base = issuer.toString().endsWith("/") ? issuer.toString().substring(0, issuer.toString().length() - 1) : issuer.toString();
        var metadata = JSONObjectUtils.parse(http.get(URI.create(base + "/.well-known/openid-configuration"), MAX_DOCUMENT_BYTES));
        // OIDC Discovery §4.3: the document must name exactly the issuer we trust, or it is not that issuer's.
        if (!issuer.toString().equals(JSONObjectUtils.getString(metadata, "issuer")))
            throw new ParseException("the discovery document names another issuer", 0);
        URI uri = JSONObjectUtils.getURI(metadata, "jwks_uri");
        if (uri == null || !TrustedUris.acceptable(uri)) throw new ParseException("the discovery document has no usable jwks_uri", 0);
        return uri;
    }

    /** A public signing key of an allowed algorithm, with its verifier; private, symmetric and encryption keys never. */
    private Optional<Key> usable(JWK jwk) {
        if (jwk.getKeyID() == null || jwk.isPrivate()) return Optional.empty();
        if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) return Optional.empty();
        List<JWSAlgorithm> candidates = jwk.getAlgorithm() != null ? List.of(JWSAlgorithm.parse(jwk.getAlgorithm().getName()))
                : allowed.stream().sorted((a, b) -> a.getName().compareTo(b.getName())).toList();
        for (JWSAlgorithm alg : candidates) {
            if (!allowed.contains(alg)) continue;
            try {
                JWSVerifier verifier = switch (jwk) {
                    case RSAKey rsa when JWSAlgorithm.Family.RSA.contains(alg) && rsa.size() >= 2048 -> new RSASSAVerifier(rsa);
                    case ECKey ec when JWSAlgorithm.Family.EC.contains(alg) && Curve.forJWSAlgorithm(alg).contains(ec.getCurve()) -> new ECDSAVerifier(ec);
                    case OctetKeyPair okp when JWSAlgorithm.EdDSA.equals(alg) && Curve.Ed25519.equals(okp.getCurve()) -> new Ed25519Verifier(okp);
                    default -> null;
                };
                // A key without its own alg is bound to the first algorithm it fits; it never serves two.
                if (verifier != null) return Optional.of(new Key(jwk, alg, verifier));
            } catch (JOSEException e) {
                LOG.log(Level.WARNING, "skipping unusable key " + jwk.getKeyID() + " of " + issuer, e);
            }
        }
        return Optional.empty();
    }
}
