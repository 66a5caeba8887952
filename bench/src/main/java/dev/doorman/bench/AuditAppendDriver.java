package dev.doorman.bench;

import dev.doorman.account.UserId;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditService;
import dev.doorman.audit.AuditType;
import dev.doorman.audit.JdbiAuditStore;
import dev.doorman.db.Database;
import dev.doorman.db.DbSettings;
import dev.doorman.support.ClientInfo;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * How fast the hash-chained audit trail takes appends when every append serializes on the chain head, and how long
 * {@code audit verify} takes per record. Writers append login events for a fixed time (bounded), then the chain is
 * verified. SQLite in a temporary directory by default; pass a PostgreSQL JDBC URL (and user, password) to measure that.
 * Run: {@code java -cp bench/target/benchmarks.jar dev.doorman.bench.AuditAppendDriver 8 10 [jdbc:postgresql://… user password]}
 */
public final class AuditAppendDriver {
    public static void main(String[] args) throws Exception {
        int writers = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        Duration duration = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 10);
        DbSettings settings = args.length > 2
                ? DbSettings.jdbc(args[2], args.length > 3 ? args[3] : "", args.length > 4 ? args[4] : "")
                : DbSettings.embedded(Files.createTempDirectory("doorman-audit-bench"));
        try (var db = Database.open(settings)) {
            db.migrate();
            var store = new JdbiAuditStore(db.jdbi());
            var log = new AuditLog(store, Clock.systemUTC());
            var audit = new AuditService(store, log, Clock.systemUTC());
            long before = audit.head().lastSeq();
            var appended = new LongAdder();
            long deadline = System.nanoTime() + duration.toNanos();
            try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int w = 0; w < writers; w++) {
                    int writer = w;
                    executor.submit(() -> {
                        var user = Optional.of(UserId.random());
                        var client = new ClientInfo("192.0.2." + writer, "bench writer " + writer);
                        while (System.nanoTime() < deadline) {
                            log.failure(AuditType.LOGIN_FAILED, "wrong_password", user, client);
                            appended.increment();
                        }
                    });
                }
            }
            System.out.printf("%s, %d writers, %d s: %d appends, %.0f appends/s%n", db.dialect(), writers, duration.toSeconds(),
                    appended.sum(), appended.sum() / (double) duration.toSeconds());
            long start = System.nanoTime();
            var result = audit.verify();
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("verify: %d records in %.2f s (%.0f records/s), intact=%s, chain grew by %d%n", result.checked(), seconds,
                    result.checked() / seconds, result.intact(), audit.head().lastSeq() - before);
        }
    }
}
