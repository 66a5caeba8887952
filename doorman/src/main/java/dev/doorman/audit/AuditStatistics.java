package dev.doorman.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Aggregates over the trail for the admin security page, computed by the database (an attack can mean millions of rows). */
public interface AuditStatistics {
    /** @param bucket index from 0 (the bucket starting at {@code since}) */
    record BucketCount(int bucket, String reason, long count) { }

    /** @param accounts how many different accounts (or unknown identifiers) the failures from this address were about */
    record SourceCount(String ip, long failures, long accounts) { }

    /** Events of one type from {@code since} (inclusive) to {@code until} (exclusive), per bucket and reason. */
    List<BucketCount> countsByBucket(String type, Instant since, Instant until, Duration bucket);

    /** The addresses with the most events of one type since then, most first. */
    List<SourceCount> topSources(String type, Instant since, int limit);

    /** Records since then whose type names a lock imposed ({@code *_locked}, {@code *lockout*}, not {@code *unlock*}), newest first. */
    List<AuditRecord> lockouts(Instant since, int limit);
}
