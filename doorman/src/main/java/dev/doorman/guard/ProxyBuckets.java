package dev.doorman.guard;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.BucketExceptions;
import dev.doorman.support.ServiceUnavailable;
import io.github.bucket4j.distributed.proxy.ProxyManager;

import java.util.function.Function;

/** Buckets behind a Bucket4j {@link ProxyManager}: in memory, on PostgreSQL or on Redis. */
final class ProxyBuckets implements Buckets {
    private final ProxyManager<String> proxies;
    private final String description;
    private final AutoCloseable onClose;

    ProxyBuckets(ProxyManager<String> proxies, String description, AutoCloseable onClose) {
        this.proxies = proxies;
        this.description = description;
        this.onClose = onClose;
    }

    /**
     * A database store that fails (the database is down) answers 503 like every other database failure: Bucket4j
     * wraps the SQL error, and the rollback it then tries on the dead connection hides the original SQL state.
     * (Redis failures reach {@link FallbackBuckets} unchanged.)
     */
    @Override
    public <T> T apply(String key, BucketConfiguration config, Function<Bucket, T> operation) {
        try {
            return operation.apply(proxies.builder().build(key, () -> config));
        } catch (BucketExceptions.BucketExecutionException e) {
            if (e.getCause() instanceof java.sql.SQLException) throw new ServiceUnavailable("rate-limit store unavailable", e);
            throw e;
        }
    }

    @Override
    public void remove(String key) {
        proxies.removeProxy(key);
    }

    @Override
    public String describe() {
        return description;
    }

    ProxyManager<String> proxies() {
        return proxies;
    }

    @Override
    public void close() {
        try {
            onClose.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the rate-limit store", e);
        }
    }
}
