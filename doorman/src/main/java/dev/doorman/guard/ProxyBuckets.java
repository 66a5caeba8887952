package dev.doorman.guard;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
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

    @Override
    public <T> T apply(String key, BucketConfiguration config, Function<Bucket, T> operation) {
        return operation.apply(proxies.builder().build(key, () -> config));
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
