package dev.doorman.audit;

import dev.doorman.account.UserId;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A filter over the audit trail; every part is optional and they combine with AND. Results come newest first.
 *
 * @param type      a wire name such as {@code login_failed}
 * @param since     inclusive
 * @param until     exclusive
 * @param beforeSeq paging: only records older than this position (the {@code seq} of the last record of the previous page)
 * @param limit     1 to {@link #MAX_LIMIT}
 */
public record AuditQuery(Optional<UserId> account, Optional<String> type, Optional<String> ip, Optional<Instant> since,
                         Optional<Instant> until, Optional<Long> beforeSeq, int limit) {
    public static final int MAX_LIMIT = 1000;
    public static final int DEFAULT_LIMIT = 50;

    public AuditQuery {
        Objects.requireNonNull(account);
        Objects.requireNonNull(type);
        Objects.requireNonNull(ip);
        Objects.requireNonNull(since);
        Objects.requireNonNull(until);
        Objects.requireNonNull(beforeSeq);
        if (limit < 1 || limit > MAX_LIMIT) throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
    }

    public static AuditQuery all(int limit) {
        return new AuditQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), limit);
    }

    public AuditQuery before(long seq) {
        return new AuditQuery(account, type, ip, since, until, Optional.of(seq), limit);
    }
}
