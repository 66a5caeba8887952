package dev.doorman.guard;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;

import java.util.Optional;
import java.util.function.Function;

/** Where token buckets live: this node's memory, PostgreSQL, or Redis (Bucket4j proxy managers behind one port). */
public interface Buckets extends AutoCloseable {
    /** Runs one operation on the bucket under {@code key}, creating it full with {@code config} if absent. */
    <T> T apply(String key, BucketConfiguration config, Function<Bucket, T> operation);

    void remove(String key);

    /** For health output and logs, e.g. {@code postgresql (shared by every node)}. */
    String describe();

    /** Why the buckets are not what was configured (a Redis outage: per-node fallback), or empty when all is well. */
    default Optional<String> degraded() {
        return Optional.empty();
    }

    @Override
    default void close() {
    }
}
