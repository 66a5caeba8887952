package dev.doorman.db;

import dev.doorman.account.UserId;
import dev.doorman.testkit.MutableClock;
import dev.doorman.testkit.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The base of every store contract: a fresh, migrated database per test, opened exactly as production opens it
 * ({@link Database#open}), on the dialect the concrete subclass names; a clock the test moves; and a helper that
 * races calls against each other.
 */
public abstract class StoreContract {
    protected final MutableClock clock = MutableClock.at(Instant.parse("2026-11-28T10:00:00Z"));
    protected Database db;

    @TempDir
    Path sqliteDir;

    protected abstract Dialect dialect();

    @BeforeEach
    final void openDatabase() {
        db = Database.open(switch (dialect()) {
            case SQLITE -> DbSettings.embedded(sqliteDir);
            case POSTGRES -> {
                var pg = TestPostgres.newDatabase();
                yield DbSettings.jdbc(pg.jdbcUrl(), pg.user(), pg.password());
            }
        });
        db.migrate();
    }

    @AfterEach
    final void closeDatabase() {
        db.close();
    }

    /** A user row, for the tables whose user_id references users. */
    protected UserId newUser() {
        UserId id = UserId.random();
        db.jdbi().useHandle(h -> h.createUpdate("insert into users (id, email, created_at, updated_at) values (:id, :email, :now, :now)")
                .bind("id", id.toString()).bind("email", id + "@example.org").bind("now", clock.millis()).execute());
        return id;
    }

    /** One of several racing calls; {@code i} tells them apart. */
    @FunctionalInterface
    protected interface Racer<T> {
        T run(int i) throws Exception;
    }

    /** Runs {@code n} calls of {@code task} at once, each on its own virtual thread, released together; their results in order. */
    protected static <T> List<T> concurrently(int n, Racer<T> task) throws InterruptedException, ExecutionException {
        var start = new CountDownLatch(1);
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int racer = i;
                futures.add(executor.submit(() -> {
                    start.await();
                    return task.run(racer);
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) results.add(f.get());
            return results;
        }
    }
}
