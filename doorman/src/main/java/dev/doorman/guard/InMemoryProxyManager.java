package dev.doorman.guard;

import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AbstractCompareAndSwapBasedProxyManager;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AsyncCompareAndSwapOperation;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.CompareAndSwapOperation;
import io.github.bucket4j.distributed.remote.RemoteBucketState;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bucket4j's compare-and-swap protocol over a map in this node's memory. Each entry expires once its bucket would be
 * full again (a full bucket is the same as none), and expired entries are swept as the map grows, so an attacker
 * cycling through keys costs memory only for as long as the keys matter.
 */
final class InMemoryProxyManager extends AbstractCompareAndSwapBasedProxyManager<String> {
    private record Entry(byte[] state, long expiresAtMillis) { }

    private static final int SWEEP_EVERY = 10_000;

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final TimeMeter clock;
    private final AtomicInteger writes = new AtomicInteger();

    InMemoryProxyManager(TimeMeter clock) {
        super(ClientSideConfig.getDefault().withClientClock(clock)
                .withExpirationAfterWriteStrategy(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(1))));
        this.clock = clock;
    }

    private long nowMillis() {
        return clock.currentTimeNanos() / 1_000_000;
    }

    private Optional<byte[]> read(String key) {
        Entry e = entries.get(key);
        return e == null || e.expiresAtMillis <= nowMillis() ? Optional.empty() : Optional.of(e.state);
    }

    private boolean swap(String key, byte[] original, byte[] updated, Optional<Long> ttlMillis) {
        long now = nowMillis();
        long expires = ttlMillis.map(ttl -> now + ttl).orElse(Long.MAX_VALUE);
        boolean[] swapped = {false};
        entries.compute(key, (k, current) -> {
            boolean absent = current == null || current.expiresAtMillis <= now;
            boolean same = original == null ? absent : !absent && java.util.Arrays.equals(current.state, original);
            if (!same) return current;
            swapped[0] = true;
            return new Entry(updated, expires);
        });
        if (swapped[0] && writes.incrementAndGet() % SWEEP_EVERY == 0) sweep();
        return swapped[0];
    }

    private void sweep() {
        long now = nowMillis();
        entries.entrySet().removeIf(e -> e.getValue().expiresAtMillis <= now);
    }

    int size() {
        return entries.size();
    }

    @Override
    protected CompareAndSwapOperation beginCompareAndSwapOperation(String key) {
        return new CompareAndSwapOperation() {
            @Override
            public Optional<byte[]> getStateData(Optional<Long> timeoutNanos) {
                return read(key);
            }

            @Override
            public boolean compareAndSwap(byte[] original, byte[] updated, RemoteBucketState state, Optional<Long> ttlMillis) {
                return swap(key, original, updated, ttlMillis);
            }
        };
    }

    @Override
    protected AsyncCompareAndSwapOperation beginAsyncCompareAndSwapOperation(String key) {
        return new AsyncCompareAndSwapOperation() {
            @Override
            public CompletableFuture<Optional<byte[]>> getStateData(Optional<Long> timeoutNanos) {
                return CompletableFuture.completedFuture(read(key));
            }

            @Override
            public CompletableFuture<Boolean> compareAndSwap(byte[] original, byte[] updated, RemoteBucketState state, Optional<Long> ttlMillis) {
                return CompletableFuture.completedFuture(swap(key, original, updated, ttlMillis));
            }
        };
    }

    @Override
    public void removeProxy(String key) {
        entries.remove(key);
    }

    @Override
    protected CompletableFuture<Void> removeAsync(String key) {
        entries.remove(key);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean isAsyncModeSupported() {
        return true;
    }

    @Override
    public boolean isExpireAfterWriteSupported() {
        return true;
    }
}
