package dev.doorman.audit;

import dev.doorman.support.ClientInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Applies the configured audit retention on every node once an hour (pruning is serialized by the chain head and a
 * no-op when nothing is due). A failure is logged and retried at the next run.
 */
public final class AuditRetentionSchedule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditRetentionSchedule.class);
    private static final ClientInfo ACTOR = new ClientInfo("", "doorman audit retention");

    private final ScheduledExecutorService executor;

    private AuditRetentionSchedule(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    public static AuditRetentionSchedule start(AuditService audit, Duration retention, Duration period) {
        var executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("doorman-audit-retention").factory());
        executor.scheduleWithFixedDelay(() -> {
            try {
                var pruned = audit.prune(retention, ACTOR);
                if (pruned.deleted() > 0)
                    LOG.info("audit retention deleted {} records older than {}; the chain now starts at record {}",
                            pruned.deleted(), retention, pruned.firstKept());
            } catch (RuntimeException e) {
                LOG.warn("audit retention failed, will retry: {}", e.toString());
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return new AuditRetentionSchedule(executor);
    }

    /** When no retention is configured. */
    public static AuditRetentionSchedule none() {
        return new AuditRetentionSchedule(null);
    }

    @Override
    public void close() {
        if (executor != null) executor.shutdownNow();
    }
}
