package dev.doorman.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditType;
import dev.doorman.oauth2.OAuth2Settings;
import dev.doorman.support.ClientInfo;
import dev.doorman.support.Secrets;
import dev.doorman.support.Tx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

/**
 * Doorman's token signing keys: generated here, stored in the database with their private parts sealed
 * ({@link KeyEncryption}), rotated with overlap, and published as a JWK set.
 *
 * <p>A key is {@code next} (published, not signing), {@code active} (signing) or {@code retired} (published until
 * every token it signed has expired, {@link #RETIRED_KEY_LIFETIME} after retirement, then deleted). Each key is bound
 * to exactly one algorithm (RFC 8725bis; SECURITY.md JW-02). Nodes sharing the database agree on the active key: each
 * reads it from the database and caches it for {@link #CACHE_TTL}, so a rotation by another node is seen within
 * that time; the retired key stays published meanwhile, so tokens a node signs with it in those seconds verify.
 */
public final class SigningKeys implements TokenSigner {
    private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);

    /** The longest lifetime of a token Doorman signs (access tokens are capped at 1 hour by {@link OAuth2Settings}). */
    public static final Duration MAX_TOKEN_LIFETIME = Duration.ofHours(1);
    /** Leeway for verifiers whose clocks run behind. */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    /** How long a retired key stays published: until every token it signed has expired everywhere. */
    public static final Duration RETIRED_KEY_LIFETIME = MAX_TOKEN_LIFETIME.plus(CLOCK_SKEW);
    /** How long a node trusts its view of the keys before reading them again. */
    public static final Duration CACHE_TTL = Duration.ofSeconds(10);
    /** RSA modulus size for RS256 and PS256. */
    public static final int RSA_BITS = 2048;

    private static final ClientInfo SCHEDULE = new ClientInfo("", "doorman key rotation schedule");
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final SigningKeyStore store;
    private final Tx tx;
    private final KeyEncryption encryption;
    private final JWSAlgorithm algorithm;
    private final Optional<Duration> rotation;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random;
    private final Secrets secrets;
    /** Opened private keys by kid: opening is costly next to signing, and a kid's key never changes. */
    private final Map<KeyId, JWSSigner> signers = new ConcurrentHashMap<>();
    private final ReentrantLock refreshing = new ReentrantLock();
    private volatile View view;

    /** One node's view of the keys, read at {@code loadedAt}. */
    private record View(Instant loadedAt, SigningKey active, JWKSet publicKeys) {
        boolean freshAt(Instant now) {
            return !now.isBefore(loadedAt) && now.isBefore(loadedAt.plus(CACHE_TTL));
        }
    }

    private SigningKeys(SigningKeyStore store, Tx tx, KeyEncryption encryption, OAuth2Settings settings, AuditLog audit, Clock clock,
                        SecureRandom random) {
        this.store = Objects.requireNonNull(store, "store");
        this.tx = Objects.requireNonNull(tx, "tx");
        this.encryption = Objects.requireNonNull(encryption, "encryption");
        this.algorithm = settings.signingAlgorithm();
        this.rotation = settings.keyRotation();
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.secrets = new Secrets(random);
    }

    /**
     * Loads the keys, creating an active and a next key on first start, and opens them, so that a wrong
     * key-encryption key stops the start rather than the first token.
     *
     * @throws KeyEncryption.KeyDecryptionException when the keys cannot be decrypted, saying why and what to do
     */
    public static SigningKeys open(SigningKeyStore store, Tx tx, KeyEncryption encryption, OAuth2Settings settings, AuditLog audit,
                                   Clock clock, SecureRandom random) {
        var keys = new SigningKeys(store, tx, encryption, settings, audit, clock, random);
        // Open the stored keys before writing anything: a wrong key-encryption key must change nothing.
        store.all().stream().filter(k -> k.state() != KeyState.RETIRED).forEach(keys::signerFor);
        keys.ensureActiveAndNext();
        keys.view = keys.load();
        return keys;
    }

    @Override
    public SignedJWT sign(JWTClaimsSet claims, JOSEObjectType type) {
        Objects.requireNonNull(claims, "claims");
        Objects.requireNonNull(type, "type");
        SigningKey key = current().active();
        var header = new JWSHeader.Builder(key.algorithm()).keyID(key.kid().value()).type(type).build();
        var jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signerFor(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("signing with key " + key.kid() + " failed", e);
        }
        return jwt;
    }

    @Override
    public JWKSet publicKeys() {
        return current().publicKeys();
    }

    /** The key new tokens are signed with, as this node sees it (at most {@link #CACHE_TTL} old). */
    public KeyId activeKeyId() {
        return current().active().kid();
    }

    /** Every stored key, read now: for {@code doorman keys list}. */
    public List<SigningKey> list() {
        return store.all();
    }

    /**
     * Rotates away from the key this node sees as active: the next key becomes active, the active one retires, a new
     * next key is published — in one transaction. When another node has already rotated away from that key (even
     * at the same moment), nothing more happens: exactly one rotation, {@link RotationOutcome.AlreadyRotated}.
     *
     * @param actor who asked, for the audit trail
     */
    public RotationOutcome rotate(ClientInfo actor) {
        return rotateAwayFrom(current().active().kid(), actor);
    }

    /** Rotates when a rotation interval is configured and the active key has been active that long. */
    public Optional<RotationOutcome> rotateIfDue() {
        if (rotation.isEmpty()) return Optional.empty();
        SigningKey active = current().active();
        Instant since = active.activatedAt().orElse(active.createdAt());
        if (clock.instant().isBefore(since.plus(rotation.get()))) return Optional.empty();
        return Optional.of(rotateAwayFrom(active.kid(), SCHEDULE));
    }

    /** Deletes retired keys whose tokens have all expired; returns how many. */
    public int purgeExpired() {
        int deleted = store.deleteRetiredBefore(clock.instant().minus(RETIRED_KEY_LIFETIME));
        if (deleted > 0) LOG.info("deleted {} retired signing key(s): every token they signed has expired", deleted);
        return deleted;
    }

    /** What the schedule runs every minute: {@link #purgeExpired()}, then {@link #rotateIfDue()}. */
    public void maintain() {
        purgeExpired();
        rotateIfDue();
    }

    private RotationOutcome rotateAwayFrom(KeyId expectedActive, ClientInfo actor) {
        Instant now = clock.instant();
        // Generated before the transaction: an RSA key takes a while, and the transaction should not.
        SigningKey newNext = generate(KeyState.NEXT, now);
        Optional<RotationOutcome.Rotated> rotated = tx.inTransaction(() -> {
            if (!store.transition(expectedActive, KeyState.ACTIVE, KeyState.RETIRED, now)) return Optional.empty();
            Optional<SigningKey> next = find(store.all(), KeyState.NEXT);
            KeyId activated;
            if (next.isPresent() && store.transition(next.get().kid(), KeyState.NEXT, KeyState.ACTIVE, now)) {
                activated = next.get().kid();
            } else {
                // Only when someone deleted the next key by hand: activate a key nobody has seen published yet.
                SigningKey direct = generate(KeyState.ACTIVE, now);
                require(store.add(direct), "could not add a new active signing key");
                activated = direct.kid();
                LOG.warn("there was no next signing key to activate: activated the new key {} without publishing it first", activated);
            }
            require(store.add(newNext), "could not add the new next signing key");
            return Optional.of(new RotationOutcome.Rotated(expectedActive, activated, newNext.kid(), now.plus(RETIRED_KEY_LIFETIME)));
        });
        purgeExpired();
        view = load();
        if (rotated.isEmpty()) return new RotationOutcome.AlreadyRotated(view.active().kid());
        var r = rotated.get();
        LOG.info("rotated signing keys: {} is now active, {} retired (published until {}), {} is the next key",
                r.activated(), r.retired(), r.retiredPublishedUntil(), r.next());
        audit.success(AuditType.SIGNING_KEY_ROTATED, Optional.empty(), actor);
        return r;
    }

    /** First start creates an active and a next key; nodes starting together each add what is missing, once. */
    private void ensureActiveAndNext() {
        for (int attempt = 0; attempt < 5; attempt++) {
            List<SigningKey> all = store.all();
            Optional<SigningKey> active = find(all, KeyState.ACTIVE);
            Optional<SigningKey> next = find(all, KeyState.NEXT);
            Instant now = clock.instant();
            if (active.isPresent() && next.isPresent()) {
                replaceNextWithConfiguredAlgorithm(active.get(), next.get());
                return;
            }
            if (active.isEmpty() && next.isPresent()) {
                if (store.transition(next.get().kid(), KeyState.NEXT, KeyState.ACTIVE, now))
                    LOG.warn("there was no active signing key: the next key {} is now active", next.get().kid());
            } else if (active.isEmpty()) {
                SigningKey created = generate(KeyState.ACTIVE, now);
                if (store.add(created)) LOG.info("created the first signing key {} ({}), active", created.kid(), algorithm);
            } else {
                SigningKey created = generate(KeyState.NEXT, now);
                if (store.add(created)) LOG.info("created the next signing key {} ({})", created.kid(), algorithm);
            }
        }
        throw new IllegalStateException("could not establish an active and a next signing key in signing_keys");
    }

    /**
     * A changed {@code signingAlgorithm} applies from the next rotation: the next key (which has never signed) is
     * replaced by one of the configured algorithm, so that it is published before it signs.
     */
    private void replaceNextWithConfiguredAlgorithm(SigningKey active, SigningKey next) {
        if (!next.algorithm().equals(algorithm)) {
            SigningKey replacement = generate(KeyState.NEXT, clock.instant());
            boolean replaced = tx.inTransaction(() -> {
                if (!store.discardNext(next.kid())) return false;
                require(store.add(replacement), "could not add the replacement next signing key");
                return true;
            });
            if (replaced) LOG.info("the signing algorithm is now {}: the next key {} ({}) was replaced by {} ({})",
                    algorithm, next.kid(), next.algorithm(), replacement.kid(), algorithm);
        }
        if (!active.algorithm().equals(algorithm))
            LOG.info("the active signing key {} uses {}; the configured {} signs from the next rotation (doorman keys rotate)",
                    active.kid(), active.algorithm(), algorithm);
    }

    private View current() {
        View v = view;
        if (v != null && v.freshAt(clock.instant())) return v;
        refreshing.lock();
        try {
            v = view;
            if (v != null && v.freshAt(clock.instant())) return v;
            v = load();
            view = v;
            return v;
        } finally {
            refreshing.unlock();
        }
    }

    private View load() {
        Instant now = clock.instant();
        List<SigningKey> all = store.all();
        SigningKey active = find(all, KeyState.ACTIVE).orElseThrow(() ->
                new IllegalStateException("there is no active signing key in signing_keys: restart Doorman to create one"));
        signerFor(active);
        List<SigningKey> published = all.stream()
                .filter(k -> k.state() != KeyState.RETIRED || k.publishedUntil().orElseThrow().isAfter(now))
                .sorted(Comparator.comparingInt(SigningKeys::publicationOrder)
                        .thenComparing(k -> k.retiredAt().orElse(Instant.MAX), Comparator.reverseOrder()))
                .toList();
        Set<KeyId> live = all.stream().filter(k -> k.state() != KeyState.RETIRED).map(SigningKey::kid).collect(Collectors.toSet());
        signers.keySet().retainAll(live);
        return new View(now, active, new JWKSet(published.stream().map(SigningKey::publicJwk).toList()));
    }

    private JWSSigner signerFor(SigningKey key) {
        return signers.computeIfAbsent(key.kid(), kid -> openSigner(key));
    }

    private JWSSigner openSigner(SigningKey key) {
        SealedJwk sealed = key.privateJwk().orElseThrow(() ->
                new IllegalStateException("signing key " + key.kid() + " has no private part (it is " + key.state().dbValue() + ")"));
        JWK jwk;
        try {
            jwk = JWK.parse(encryption.open(key.kid(), sealed));
        } catch (ParseException e) {
            throw new IllegalStateException("the private part of signing key " + key.kid() + " is not a JWK", e);
        }
        // The kid is the GCM associated data already; this also catches a public JWK that does not match its private part.
        if (!jwk.isPrivate() || !jwk.toPublicJWK().equals(key.publicJwk()))
            throw new IllegalStateException("the private part of signing key " + key.kid() + " does not match its published public key");
        try {
            return switch (key.algorithm().getName()) {
                case "RS256", "PS256" -> new RSASSASigner(jwk.toRSAKey());
                case "ES256" -> new ECDSASigner(jwk.toECKey());
                case "EdDSA" -> new Ed25519Signer(jwk.toOctetKeyPair());
                default -> throw new IllegalStateException("signing key " + key.kid() + " has the unsupported algorithm " + key.algorithm());
            };
        } catch (JOSEException e) {
            throw new IllegalStateException("signing key " + key.kid() + " cannot sign with " + key.algorithm(), e);
        }
    }

    /** A new key pair bound to the configured algorithm, with a random kid; its private part sealed. */
    private SigningKey generate(KeyState state, Instant now) {
        KeyId kid = new KeyId(B64URL.encodeToString(secrets.newBytes(16)));
        JWK jwk;
        try {
            jwk = switch (algorithm.getName()) {
                case "RS256", "PS256" -> new RSAKeyGenerator(RSA_BITS).keyUse(KeyUse.SIGNATURE).algorithm(algorithm).keyID(kid.value())
                        .secureRandom(random).generate();
                case "ES256" -> new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(algorithm).keyID(kid.value())
                        .secureRandom(random).generate();
                // Tink generates Ed25519 keys from its own SecureRandom.
                case "EdDSA" -> new OctetKeyPairGenerator(Curve.Ed25519).keyUse(KeyUse.SIGNATURE).algorithm(algorithm).keyID(kid.value())
                        .generate();
                default -> throw new IllegalStateException("unsupported signing algorithm " + algorithm);
            };
        } catch (JOSEException e) {
            throw new IllegalStateException("generating a " + algorithm + " signing key failed", e);
        }
        return new SigningKey(kid, algorithm, state, now, state == KeyState.ACTIVE ? Optional.of(now) : Optional.empty(), Optional.empty(),
                jwk.toPublicJWK(), Optional.of(encryption.seal(kid, jwk.toJSONString())));
    }

    /** The active key first (clients that ignore kid take the first), then the next, then retired ones, newest first. */
    private static int publicationOrder(SigningKey key) {
        return switch (key.state()) {
            case ACTIVE -> 0;
            case NEXT -> 1;
            case RETIRED -> 2;
        };
    }

    private static Optional<SigningKey> find(List<SigningKey> keys, KeyState state) {
        return keys.stream().filter(k -> k.state() == state).findFirst();
    }

    private static void require(boolean condition, String message) {
        if (!condition) throw new IllegalStateException(message);
    }
}
