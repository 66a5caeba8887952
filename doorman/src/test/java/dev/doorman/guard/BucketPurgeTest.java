package dev.doorman.guard;

import dev.doorman.TestServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL keeps one {@code guard_buckets} row per key; a row whose bucket has refilled is the same as no row, and
 * the purge deletes it, so an attacker cycling through addresses costs rows only for as long as they matter. Bucket4j
 * stamps a row's expiry and purges by wall-clock time (not the node's injected clock), so this test waits for real.
 */
class BucketPurgeTest {
    @Test
    void purgeExpiredWhenPostgresBucketsHaveRefilledThenTheirRowsGoAndLiveOnesStayAndStillCount() throws InterruptedException {
        // One token refills in a second; a row lives until its bucket is full again plus 10 s.
        var settings = GuardSettings.defaults().withLimit(Limit.LOGIN_SOURCE, LimitSpec.parse("2/2s"));
        try (var server = TestServer.start(TestServer.Store.POSTGRES, s -> s.withGuard(settings));
             var buckets = BucketStores.postgres(server.database, server.clock)) {
            var limits = new RateLimits(buckets, settings);
            limits.tryConsume(Limit.LOGIN_SOURCE, "198.51.100.1");
            Thread.sleep(6_000);
            limits.tryConsume(Limit.LOGIN_SOURCE, "198.51.100.2");
            limits.tryConsume(Limit.LOGIN_SOURCE, "198.51.100.2");
            assertThat(rows(server)).isEqualTo(2);
            assertThat(BucketStores.purgeExpired(buckets, 1000)).as("nothing has expired yet").isZero();

            // The first row expires about 11 s after its use, the second about 12 s after its (6 s later).
            long deadline = System.nanoTime() + 30_000_000_000L;
            int purged = 0;
            while (purged == 0 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                purged = BucketStores.purgeExpired(buckets, 1000);
            }
            assertThat(purged).isEqualTo(1);
            assertThat(rows(server)).isEqualTo(1);
            assertThat(limits.used(Limit.LOGIN_SOURCE, "198.51.100.2")).as("the live bucket kept its count").isEqualTo(2);
        }
    }

    private static long rows(TestServer server) {
        return server.database.jdbi().withHandle(h -> h.createQuery("select count(*) from guard_buckets where id like '%198.51.100.%'")
                .mapTo(Long.class).one());
    }
}
