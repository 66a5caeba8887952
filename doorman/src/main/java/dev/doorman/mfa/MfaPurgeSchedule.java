package dev.doorman.mfa;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs {@link MfaPurge#purgeExpired()} on every node every {@code period}, the first time one period after start. Nodes
 * need no coordination: each delete is idempotent and commits on its own. A failed run (the database is down) is
 * logged and retried at the next period.
 */
public final class MfaPurgeSchedule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MfaPurgeSchedule.class);

    private final ScheduledExecutorService executor;

    private MfaPurgeSchedule(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    public static MfaPurgeSchedule start(MfaPurge purge, Duration period) {
        return start(purge::purgeExpired, period);
    }

    /** The same with any job: tests use one that fails. */
    static MfaPurgeSchedule start(Supplier<MfaPurge.Purged> job, Duration period) {
        if (period.isNegative() || period.isZero()) throw new IllegalArgumentException("period must be positive");
        var executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("doorman-mfa-purge").factory());
        executor.scheduleWithFixedDelay(() -> {
            try {
                var purged = job.get();
                if (purged.total() > 0) LOG.debug("purged expired MFA state: {}", purged);
            } catch (RuntimeException e) {
                LOG.warn("purging expired MFA state failed, retrying in {}: {}", period, e.toString());
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return new MfaPurgeSchedule(executor);
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
