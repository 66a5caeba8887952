package dev.doorman.mfa;

import dev.doorman.Doorman;
import dev.doorman.DoormanSettings;
import dev.doorman.db.Database;
import dev.doorman.db.DbSettings;
import dev.doorman.support.PurgeSchedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The MFA purge's schedule itself: it survives a failed run, stops on close, and Doorman starts and stops one. */
class MfaPurgeScheduleTest {
    private static final Duration PERIOD = Duration.ofMillis(20);
    private static final MfaPurge.Purged NOTHING = new MfaPurge.Purged(0, 0, 0, 0);

    @Test
    void scheduleWhenARunFailsThenTheNextRunStillHappens() throws InterruptedException {
        var runs = new AtomicInteger();
        try (var schedule = PurgeSchedule.start("mfa-purge", () -> {
            if (runs.incrementAndGet() == 1) throw new IllegalStateException("the database is down");
            return NOTHING;
        }, PERIOD)) {
            awaitAtLeast(runs, 3);
        }
    }

    @Test
    void scheduleWhenClosedThenNoMoreRuns() throws InterruptedException {
        var runs = new AtomicInteger();
        var schedule = PurgeSchedule.start("mfa-purge", () -> {
            runs.incrementAndGet();
            return NOTHING;
        }, PERIOD);
        awaitAtLeast(runs, 1);
        schedule.close();
        int after = runs.get();
        Thread.sleep(PERIOD.multipliedBy(10).toMillis());
        assertThat(runs.get()).isEqualTo(after);
    }

    @Test
    void scheduleWhenThePeriodIsNotPositiveThenRefused() {
        assertThatThrownBy(() -> PurgeSchedule.start("mfa-purge", () -> NOTHING, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void doormanWhenBuiltThenItRunsTheMfaAndOAuth2PurgeSchedulesAndStopsThemOnClose(@TempDir Path dir) throws InterruptedException {
        long before = purgeThreads();
        try (var database = Database.open(DbSettings.embedded(dir))) {
            database.migrate();
            var doorman = Doorman.builder(DoormanSettings.dev(URI.create("http://127.0.0.1:7070")), database).build();
            try {
                assertThat(purgeThreads()).isEqualTo(before + 2);
            } finally {
                doorman.close();
            }
            // close() waits for the executor to stop; the thread itself may take a moment longer to end.
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (purgeThreads() > before && System.nanoTime() < deadline) Thread.sleep(10);
            assertThat(purgeThreads()).isEqualTo(before);
        }
    }

    private static long purgeThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> (t.getName().equals("doorman-mfa-purge") || t.getName().equals("doorman-oauth2-purge")) && t.isAlive()).count();
    }

    private static void awaitAtLeast(AtomicInteger runs, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (runs.get() < n) {
            assertThat(System.nanoTime()).as("only %d runs", runs.get()).isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
