package dev.doorman.support;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs a purge of expired rows on every node every {@code period}, the first time one period after start, on a daemon
 * thread named {@code doorman-<name>}. Nodes need no coordination: each purge is an idempotent delete. A failed run
 * (the database is down) is logged and retried at the next period.
 */
public final class PurgeSchedule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PurgeSchedule.class);

    private final ScheduledExecutorService executor;

    private PurgeSchedule(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    /** @param job deletes what has expired and says what it deleted (logged at debug) */
    public static PurgeSchedule start(String name, Supplier<?> job, Duration period) {
        if (period.isNegative() || period.isZero()) throw new IllegalArgumentException("period must be positive");
        var executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("doorman-" + name).factory());
        executor.scheduleWithFixedDelay(() -> {
            try {
                LOG.debug("{}: {}", name, job.get());
            } catch (RuntimeException e) {
                LOG.warn("{} failed, retrying in {}: {}", name, period, e.toString());
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return new PurgeSchedule(executor);
    }

    /** Stops the schedule and waits briefly for a run in progress, so that it does not outlive the database. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
