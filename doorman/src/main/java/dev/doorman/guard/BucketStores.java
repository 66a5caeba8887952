package dev.doorman.guard;

import dev.doorman.db.Database;
import dev.doorman.db.Dialect;
import dev.doorman.support.PurgeSchedule;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** Opens the bucket store the settings ask for. */
public final class BucketStores {
    /** Stored buckets live until they would be full again, plus this margin. */
    private static final ExpirationAfterWriteStrategy EXPIRY = ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10));

    private BucketStores() {
    }

    public static Buckets open(GuardSettings settings, Database database, Clock clock) {
        return switch (settings.store()) {
            case MEMORY -> memory(clock);
            case DATABASE -> postgres(database, clock);
            case AUTO -> database.dialect() == Dialect.POSTGRES ? postgres(database, clock) : memory(clock);
            case REDIS -> redis(settings.redisUrl().orElseThrow(), clock);
        };
    }

    public static Buckets memory(Clock clock) {
        return new ProxyBuckets(new InMemoryProxyManager(new ClockTimeMeter(clock)), "memory (this node only)", () -> { });
    }

    /** Bucket4j's advisory-lock PostgreSQL proxy over the {@code guard_buckets} table (migration V8). */
    public static Buckets postgres(Database database, Clock clock) {
        if (database.dialect() != Dialect.POSTGRES)
            throw new IllegalArgumentException("the database rate-limit store needs PostgreSQL; on SQLite use memory");
        var proxies = Bucket4jPostgreSQL.advisoryLockBasedBuilder(database.dataSource())
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("guard_buckets").idColumn("id").stateColumn("state").expiresAtColumn("expires_at")
                .clientClock(new ClockTimeMeter(clock))
                .expirationAfterWrite(EXPIRY)
                .build();
        return new ProxyBuckets(proxies, "postgresql", () -> { });
    }

    /** Bucket4j over Lettuce, falling back to per-node memory while Redis is unreachable. */
    public static Buckets redis(String url, Clock clock) {
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(Duration.ofMillis(500));
        RedisClient client = RedisClient.create(uri);
        return new FallbackBuckets("redis", () -> {
            StatefulRedisConnection<String, byte[]> connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
            connection.setTimeout(Duration.ofMillis(500));
            var proxies = Bucket4jLettuce.casBasedBuilder(connection)
                    .clientClock(new ClockTimeMeter(clock))
                    .expirationAfterWrite(EXPIRY)
                    .build();
            return new ProxyBuckets(proxies, "redis", connection::close);
        }, memory(clock), clock, Duration.ofSeconds(5)) {
            @Override
            public void close() {
                try {
                    super.close();
                } finally {
                    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
                }
            }
        };
    }

    /** Deletes expired rows every {@code period} (PostgreSQL only: the other stores expire entries themselves). */
    public static Optional<PurgeSchedule> startPurging(Buckets buckets, Duration period) {
        if (!(buckets instanceof ProxyBuckets p && p.proxies() instanceof io.github.bucket4j.distributed.proxy.ExpiredEntriesCleaner))
            return Optional.empty();
        return Optional.of(PurgeSchedule.start("bucket-purge", () -> {
            int purged = 0;
            int batch;
            do {
                batch = purgeExpired(buckets, 1000);
                purged += batch;
            } while (batch == 1000);
            return purged + " expired rate-limit buckets";
        }, period));
    }

    /** Deletes expired rows of the PostgreSQL store (the other stores expire entries themselves). */
    static int purgeExpired(Buckets buckets, int batch) {
        if (buckets instanceof ProxyBuckets p && p.proxies() instanceof io.github.bucket4j.distributed.proxy.ExpiredEntriesCleaner cleaner)
            return cleaner.removeExpired(batch);
        return 0;
    }
}
