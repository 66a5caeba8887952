package dev.doorman.guard;

import dev.doorman.support.Secrets;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.ConsumptionProbe;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The named limits over one bucket store. Keys are built here: a source is its address (IPv6 by /64), an account
 * is a hash of its normalized identifier (the store never holds an address or e-mail in clear).
 */
public final class RateLimits {
    /** Allowed, or refused with how long to wait. */
    public record Decision(boolean allowed, Duration retryAfter) {
        static final Decision ALLOWED = new Decision(true, Duration.ZERO);

        /** Whole seconds for a Retry-After header, at least 1. */
        public long retryAfterSeconds() {
            return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        }
    }

    private final Buckets buckets;
    private final Map<Limit, LimitSpec> specs = new EnumMap<>(Limit.class);
    private final Map<Limit, BucketConfiguration> configs = new EnumMap<>(Limit.class);

    public RateLimits(Buckets buckets, GuardSettings settings) {
        this.buckets = buckets;
        for (Limit l : Limit.values()) {
            LimitSpec spec = settings.spec(l);
            specs.put(l, spec);
            var builder = BucketConfiguration.builder();
            for (LimitSpec.Band band : spec.bands())
                builder.addLimit(b -> b.capacity(band.capacity()).refillGreedy(band.capacity(), band.period()));
            configs.put(l, builder.build());
        }
    }

    /** The key of a source address: itself for IPv4, its /64 for IPv6. */
    public static String source(String ip) {
        return Sources.keyOf(ip);
    }

    /** The key of an account identifier (an e-mail address, or whatever was typed), the same whether or not it exists. */
    public static String account(String identifier) {
        String normalized = identifier == null ? "" : identifier.strip().toLowerCase(Locale.ROOT);
        return Secrets.hash(normalized).substring(0, 32);
    }

    /** Takes one token if there is one. */
    public Decision tryConsume(Limit limit, String key) {
        ConsumptionProbe probe = buckets.apply(id(limit, key), configs.get(limit), b -> b.tryConsumeAndReturnRemaining(1));
        return probe.isConsumed() ? Decision.ALLOWED : new Decision(false, Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    /** Whether one token could be taken, without taking it. */
    public Decision peek(Limit limit, String key) {
        EstimationProbe probe = buckets.apply(id(limit, key), configs.get(limit), b -> b.estimateAbilityToConsume(1));
        return probe.canBeConsumed() ? Decision.ALLOWED : new Decision(false, Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    /** Counts one use even when the bucket is empty (a failure that already happened); returns the uses now outstanding. */
    public long record(Limit limit, String key) {
        buckets.apply(id(limit, key), configs.get(limit), b -> b.consumeIgnoringRateLimits(1));
        return used(limit, key);
    }

    /** Returns one token taken in advance for a use that did not happen (never beyond the capacity). */
    public void giveBack(Limit limit, String key) {
        buckets.apply(id(limit, key), configs.get(limit), b -> {
            b.addTokens(1);
            return null;
        });
    }

    /** Uses not yet refilled: 0 for a full bucket, more than the capacity after {@link #record} past it. */
    public long used(Limit limit, String key) {
        long available = buckets.apply(id(limit, key), configs.get(limit), b -> b.getAvailableTokens());
        return Math.max(0, specs.get(limit).capacity() - available);
    }

    public void reset(Limit limit, String key) {
        buckets.remove(id(limit, key));
    }

    public LimitSpec spec(Limit limit) {
        return specs.get(limit);
    }

    public String describe() {
        return buckets.describe();
    }

    public Optional<String> degraded() {
        return buckets.degraded();
    }

    private static String id(Limit limit, String key) {
        return limit.wireName() + "|" + key;
    }
}
