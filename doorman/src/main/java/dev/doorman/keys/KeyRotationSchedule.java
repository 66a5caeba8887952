package dev.doorman.keys;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;

/**
 * Runs {@link SigningKeys#maintain()} on a virtual thread (a daemon) now and then every {@code period}: deletes
 * retired keys whose tokens have all expired and, when a rotation interval is configured, rotates a key that has been
 * active that long. Each node runs one; the store's compare-and-set makes sure one rotation happens however many
 * nodes find it due at once. A failed check (the database is down) is logged and retried at the next period.
 */
public final class KeyRotationSchedule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KeyRotationSchedule.class);

    private final Thread thread;

    private KeyRotationSchedule(SigningKeys keys, Duration period) {
        Objects.requireNonNull(keys, "keys");
        if (period.isNegative() || period.isZero()) throw new IllegalArgumentException("period must be positive");
        this.thread = Thread.ofVirtual().name("doorman-key-rotation").unstarted(() -> loop(keys, period));
    }

    public static KeyRotationSchedule start(SigningKeys keys, Duration period) {
        var schedule = new KeyRotationSchedule(keys, period);
        schedule.thread.start();
        return schedule;
    }

    private static void loop(SigningKeys keys, Duration period) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                keys.maintain();
            } catch (RuntimeException e) {
                LOG.warn("signing key check failed, retrying in {}: {}", period, e.toString());
            }
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops the thread and waits briefly for a check in progress to end. */
    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
