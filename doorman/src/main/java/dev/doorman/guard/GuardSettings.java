package dev.doorman.guard;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Rate limits and brute-force defence.
 *
 * @param trustedProxies CIDR ranges whose {@code X-Forwarded-For} is believed; empty: the socket's peer is the client
 * @param limits         overrides of {@link Limit#defaultSpec()}; a limit not named keeps its default
 * @param escalation     when a failing (account, source) pair is delayed, challenged, locked
 * @param hashQueue      password hashes that may wait for a free core; more are refused at once (503)
 * @param store          where buckets live; {@link Store#AUTO}: PostgreSQL when that is the database, else this node's memory
 * @param redisUrl       {@code redis://host:port} for {@link Store#REDIS}
 */
public record GuardSettings(List<String> trustedProxies, Map<Limit, LimitSpec> limits, Escalation escalation, int hashQueue,
                            Store store, Optional<String> redisUrl) {
    public enum Store { AUTO, MEMORY, DATABASE, REDIS }

    /**
     * @param delayAfter     failures of one (account, source) pair before each further failure is answered slowly
     * @param delayBase      the first delay; it doubles with each failure up to {@code delayMax}
     * @param challengeAfter failures of the pair before a proof of work is required (the pair locks at {@link Limit#LOGIN_PAIR}'s capacity)
     * @param powBits        leading zero bits of SHA-256(challenge || nonce) a browser must find (2^bits hashes on average)
     * @param powBitsHard    the same for a source that fails on many accounts, or while the system is under a failure burst
     * @param challengeTtl   how long an issued challenge may be solved and used (once)
     * @param unlockTtl      how long a mailed unlock link works, and how long the browser that used it is exempt
     * @param deviceTtl      how long a browser that got the password right stays a known device for the account
     */
    public record Escalation(int delayAfter, Duration delayBase, Duration delayMax, int challengeAfter, int powBits, int powBitsHard,
                             Duration challengeTtl, Duration unlockTtl, Duration deviceTtl) {
        public Escalation {
            if (delayAfter < 1 || challengeAfter < 1) throw new IllegalArgumentException("escalation thresholds must be at least 1");
            if (powBits < 1 || powBits > 28 || powBitsHard < powBits || powBitsHard > 28)
                throw new IllegalArgumentException("proof-of-work bits must be 1..28, the hard level at least the normal one");
            if (delayBase.isNegative() || delayMax.compareTo(delayBase) < 0) throw new IllegalArgumentException("delays must be 0 <= base <= max");
            Objects.requireNonNull(challengeTtl);
            Objects.requireNonNull(unlockTtl);
            Objects.requireNonNull(deviceTtl);
        }

        public static Escalation defaults() {
            return new Escalation(3, Duration.ofMillis(250), Duration.ofSeconds(4), 5, 16, 20, Duration.ofMinutes(5), Duration.ofHours(1),
                    Duration.ofDays(90));
        }
    }

    public GuardSettings {
        trustedProxies = List.copyOf(trustedProxies);
        TrustedProxies.of(trustedProxies); // fails early, naming a bad entry
        var copy = new EnumMap<Limit, LimitSpec>(Limit.class);
        copy.putAll(limits);
        limits = Map.copyOf(copy);
        Objects.requireNonNull(escalation);
        if (hashQueue < 0) throw new IllegalArgumentException("hash queue must be >= 0");
        Objects.requireNonNull(store);
        Objects.requireNonNull(redisUrl);
        if (store == Store.REDIS && redisUrl.isEmpty()) throw new IllegalArgumentException("the Redis store needs a Redis URL");
    }

    public static GuardSettings defaults() {
        return new GuardSettings(List.of(), Map.of(), Escalation.defaults(), Runtime.getRuntime().availableProcessors(),
                Store.AUTO, Optional.empty());
    }

    public LimitSpec spec(Limit limit) {
        return limits.getOrDefault(limit, limit.defaultSpec());
    }

    public GuardSettings withLimit(Limit limit, LimitSpec spec) {
        var copy = new EnumMap<Limit, LimitSpec>(Limit.class);
        copy.putAll(limits);
        copy.put(limit, spec);
        return new GuardSettings(trustedProxies, copy, escalation, hashQueue, store, redisUrl);
    }

    public GuardSettings withTrustedProxies(List<String> cidrs) {
        return new GuardSettings(cidrs, limits, escalation, hashQueue, store, redisUrl);
    }

    public GuardSettings withEscalation(Escalation e) {
        return new GuardSettings(trustedProxies, limits, e, hashQueue, store, redisUrl);
    }

    public GuardSettings withStore(Store s, Optional<String> redis) {
        return new GuardSettings(trustedProxies, limits, escalation, hashQueue, s, redis);
    }

    public GuardSettings withHashQueue(int queue) {
        return new GuardSettings(trustedProxies, limits, escalation, queue, store, redisUrl);
    }
}
