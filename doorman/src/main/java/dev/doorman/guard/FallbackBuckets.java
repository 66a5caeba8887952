package dev.doorman.guard;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Shared buckets (Redis) with a safe fallback: while the shared store cannot be reached, every node keeps limiting
 * on its own, in memory, with the same limits. Each node then admits at most what one node would, so a cluster of n
 * nodes admits at most n times a limit for the length of the outage; nothing is ever let through unlimited, and a
 * request never fails because the limiter is down. The shared store is tried again every {@code retryEvery}; the
 * change either way is logged once.
 */
class FallbackBuckets implements Buckets {
    private static final Logger LOG = LoggerFactory.getLogger(FallbackBuckets.class);

    private final String name;
    private final Supplier<Buckets> connect;
    private final Buckets local;
    private final Clock clock;
    private final Duration retryEvery;
    private volatile Buckets shared;
    private volatile Instant retryAt = Instant.MIN;
    private volatile String problem;

    FallbackBuckets(String name, Supplier<Buckets> connect, Buckets local, Clock clock, Duration retryEvery) {
        this.name = name;
        this.connect = connect;
        this.local = local;
        this.clock = clock;
        this.retryEvery = retryEvery;
        sharedOrNull();
    }

    @Override
    public <T> T apply(String key, BucketConfiguration config, Function<Bucket, T> operation) {
        Buckets s = sharedOrNull();
        if (s != null) {
            try {
                T result = s.apply(key, config, operation);
                if (problem != null) recovered();
                return result;
            } catch (RuntimeException e) {
                failed(e);
            }
        }
        return local.apply(key, config, operation);
    }

    @Override
    public void remove(String key) {
        local.remove(key);
        Buckets s = sharedOrNull();
        if (s == null) return;
        try {
            s.remove(key);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private Buckets sharedOrNull() {
        if (problem != null && clock.instant().isBefore(retryAt)) return null;
        if (shared == null) {
            synchronized (this) {
                if (shared == null) {
                    try {
                        shared = connect.get();
                    } catch (RuntimeException e) {
                        failed(e);
                        return null;
                    }
                }
            }
        }
        return shared;
    }

    private synchronized void failed(RuntimeException e) {
        retryAt = clock.instant().plus(retryEvery);
        if (problem == null) {
            problem = name + " unreachable (" + e.getClass().getSimpleName() + "): limiting per node in memory until it is back";
            LOG.warn("rate limits: {}", problem);
        }
    }

    private synchronized void recovered() {
        if (problem == null) return;
        problem = null;
        LOG.warn("rate limits: {} reachable again: limits are shared again", name);
    }

    @Override
    public String describe() {
        return problem == null ? name + " (shared by every node)" : "memory (this node only: " + name + " unreachable)";
    }

    @Override
    public Optional<String> degraded() {
        return Optional.ofNullable(problem);
    }

    @Override
    public void close() {
        Buckets s = shared;
        if (s != null) s.close();
        local.close();
    }
}
