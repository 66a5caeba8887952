package dev.doorman.audit;

import dev.doorman.account.UserId;
import dev.doorman.support.ClientInfo;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The audit table as a hash chain. An append first increments the chain head's position, which locks the head row
 * until the surrounding transaction ends (PostgreSQL row lock; SQLite has one writer anyway), then links the new
 * record to the head's hash: concurrent writers on any number of nodes produce one gap-free chain in commit order.
 * An append inside a caller's transaction joins it, so a rolled-back change leaves no record and no gap.
 *
 * <p>Refusals ({@link #appendSoon}) are group-committed: the caller that finds nobody writing writes every queued
 * refusal, in batches of one transaction each, while callers that arrive meanwhile only queue theirs and go on. A
 * flood of refused requests thus costs a few commits a second instead of one each, and a lone refusal is written
 * before its request returns. Every read here writes what is queued first. A full queue makes the caller write its
 * event itself; a failed batch stays queued for the next writer.
 */
public final class JdbiAuditStore implements AuditStore, AuditTrail, AuditStatistics {
    private static final Logger LOG = LoggerFactory.getLogger(JdbiAuditStore.class);
    private static final int QUEUE = 10_000;
    private static final int BATCH = 500;

    private static final RowMapper<AuditEvent> EVENT = (rs, ctx) -> new AuditEvent(
            Instant.ofEpochMilli(rs.getLong("at")),
            AuditType.valueOf(rs.getString("type").toUpperCase(Locale.ROOT)),
            AuditEvent.Outcome.valueOf(rs.getString("outcome").toUpperCase(Locale.ROOT)),
            Optional.ofNullable(rs.getString("reason")),
            Optional.ofNullable(rs.getString("user_id")).map(UserId::parse),
            Optional.ofNullable(rs.getString("subject_hint")),
            new ClientInfo(rs.getString("ip"), rs.getString("user_agent")));

    private static final RowMapper<AuditRecord> RECORD = (rs, ctx) -> new AuditRecord(
            rs.getLong("seq"), rs.getString("id"), Instant.ofEpochMilli(rs.getLong("at")), rs.getString("type"), rs.getString("outcome"),
            Optional.ofNullable(rs.getString("reason")), Optional.ofNullable(rs.getString("user_id")).map(UserId::parse),
            Optional.ofNullable(rs.getString("subject_hint")), rs.getString("ip"), rs.getString("user_agent"),
            rs.getString("prev_hash"), rs.getString("hash"));

    /** Known types only, for the {@link AuditStore} views that return {@link AuditEvent}s. */
    private static final String KNOWN_TYPES = "type in (" + String.join(", ",
            java.util.Arrays.stream(AuditType.values()).map(t -> "'" + t.wireName() + "'").toList()) + ")";

    private final Jdbi jdbi;
    private final BlockingDeque<AuditEvent> pending = new LinkedBlockingDeque<>(QUEUE);
    private final ReentrantLock writing = new ReentrantLock();

    public JdbiAuditStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void append(AuditEvent e) {
        jdbi.useTransaction(h -> insertChained(h, e));
    }

    @Override
    public void appendSoon(AuditEvent e) {
        if (!pending.offerLast(e)) {
            append(e);
            return;
        }
        // Whoever holds the lock writes what is queued; after letting go, look again, so that an event queued by a
        // caller who found the lock taken just before it was released is not left behind.
        boolean written = true;
        while (written && !pending.isEmpty() && writing.tryLock()) {
            try {
                written = writeQueued();
            } finally {
                writing.unlock();
            }
        }
    }

    /** Writes every queued refusal (and waits for a batch another caller is writing). */
    public void flush() {
        writing.lock();
        try {
            writeQueued();
        } finally {
            writing.unlock();
        }
    }

    /** @return false if a batch failed (the database is down): it stays queued */
    private boolean writeQueued() {
        var batch = new ArrayList<AuditEvent>(BATCH);
        while (pending.drainTo(batch, BATCH) > 0) {
            try {
                jdbi.useTransaction(h -> batch.forEach(e -> insertChained(h, e)));
            } catch (RuntimeException failed) {
                // Back to the front of the queue, for the next writer; this caller's request is answered as it would be.
                LOG.warn("writing {} audit records failed, kept for the next try: {}", batch.size(), failed.toString());
                for (AuditEvent e : batch.reversed()) if (!pending.offerFirst(e)) break;
                return false;
            }
            batch.clear();
        }
        return true;
    }

    private static void insertChained(Handle h, AuditEvent e) {
        insertChained(h, UUID.randomUUID().toString(), e.at().toEpochMilli(), e.type().wireName(),
                e.outcome().name().toLowerCase(Locale.ROOT), e.reason().orElse(null), e.user().map(UserId::toString).orElse(null),
                e.subjectHint().orElse(null), e.client().ip(), e.client().userAgent());
    }

    private static void insertChained(Handle h, String id, long at, String type, String outcome, String reason, String user, String hint,
                                      String ip, String ua) {
        // The update takes the head's lock before its position is read: no other append can interleave.
        h.createUpdate("update audit_chain set last_seq = last_seq + 1 where id = 1").execute();
        var head = h.createQuery("select last_seq, last_hash from audit_chain where id = 1")
                .map((rs, ctx) -> new Object[]{rs.getLong(1), rs.getString(2)}).one();
        long seq = (Long) head[0];
        String prev = (String) head[1];
        String hash = AuditChain.hash(prev, id, at, type, outcome, reason, user, hint, ip, ua);
        h.createUpdate("insert into audit_events (id, seq, at, type, outcome, reason, user_id, subject_hint, ip, user_agent, prev_hash, hash) "
                        + "values (:id, :seq, :at, :type, :outcome, :reason, :user, :hint, :ip, :ua, :prev, :hash)")
                .bind("id", id).bind("seq", seq).bind("at", at).bind("type", type).bind("outcome", outcome).bind("reason", reason)
                .bind("user", user).bind("hint", hint).bind("ip", ip).bind("ua", ua).bind("prev", prev).bind("hash", hash)
                .execute();
        h.createUpdate("update audit_chain set last_hash = :hash where id = 1").bind("hash", hash).execute();
    }

    /**
     * Links records written before the trail was a chain (they have no position yet), oldest first. Run at start;
     * a no-op once done.
     *
     * @return how many records were chained
     */
    public int chainUnchained() {
        boolean any = jdbi.withHandle(h -> h.createQuery("select count(*) from audit_events where seq is null").mapTo(Long.class).one() > 0);
        if (!any) return 0;
        return jdbi.inTransaction(h -> {
            h.createUpdate("update audit_chain set last_seq = last_seq where id = 1").execute();
            List<AuditRecord> legacy = h.createQuery("select * from audit_events where seq is null order by at, id")
                    .map((rs, ctx) -> new AuditRecord(0, rs.getString("id"), Instant.ofEpochMilli(rs.getLong("at")), rs.getString("type"),
                            rs.getString("outcome"), Optional.ofNullable(rs.getString("reason")),
                            Optional.ofNullable(rs.getString("user_id")).map(UserId::parse), Optional.ofNullable(rs.getString("subject_hint")),
                            rs.getString("ip"), rs.getString("user_agent"), "", "")).list();
            for (AuditRecord r : legacy) {
                h.createUpdate("delete from audit_events where id = :id").bind("id", r.id()).execute();
                insertChained(h, r.id(), r.at().toEpochMilli(), r.type(), r.outcome(), r.reason().orElse(null),
                        r.user().map(UserId::toString).orElse(null), r.subjectHint().orElse(null), r.ip(), r.userAgent());
            }
            return legacy.size();
        });
    }

    @Override
    public List<AuditEvent> recent(int limit) {
        flush();
        return jdbi.withHandle(h -> h.createQuery("select * from audit_events where " + KNOWN_TYPES + " order by seq desc limit :limit")
                .bind("limit", limit).map(EVENT).list());
    }

    @Override
    public List<AuditEvent> forUser(UserId user, int limit) {
        flush();
        return jdbi.withHandle(h -> h.createQuery("select * from audit_events where user_id = :user and " + KNOWN_TYPES
                        + " order by seq desc limit :limit")
                .bind("user", user.toString()).bind("limit", limit).map(EVENT).list());
    }

    @Override
    public List<AuditRecord> find(AuditQuery q) {
        flush();
        var where = new ArrayList<String>();
        where.add("seq is not null");
        q.account().ifPresent(a -> where.add("user_id = :user"));
        q.type().ifPresent(t -> where.add("type = :type"));
        q.ip().ifPresent(i -> where.add("ip = :ip"));
        q.since().ifPresent(s -> where.add("at >= :since"));
        q.until().ifPresent(u -> where.add("at < :until"));
        q.beforeSeq().ifPresent(b -> where.add("seq < :before"));
        return jdbi.withHandle(h -> {
            Query query = h.createQuery("select * from audit_events where " + String.join(" and ", where) + " order by seq desc limit :limit")
                    .bind("limit", q.limit());
            q.account().ifPresent(a -> query.bind("user", a.toString()));
            q.type().ifPresent(t -> query.bind("type", t));
            q.ip().ifPresent(i -> query.bind("ip", i));
            q.since().ifPresent(s -> query.bind("since", s.toEpochMilli()));
            q.until().ifPresent(u -> query.bind("until", u.toEpochMilli()));
            q.beforeSeq().ifPresent(b -> query.bind("before", b));
            return query.map(RECORD).list();
        });
    }

    @Override
    public List<AuditRecord> after(long seq, int limit) {
        flush();
        return jdbi.withHandle(h -> h.createQuery("select * from audit_events where seq > :seq order by seq limit :limit")
                .bind("seq", seq).bind("limit", limit).map(RECORD).list());
    }

    @Override
    public Head head() {
        flush();
        return jdbi.withHandle(JdbiAuditStore::head);
    }

    private static Head head(Handle h) {
        return h.createQuery("select last_seq, last_hash, first_seq, first_prev_hash from audit_chain where id = 1")
                .map((rs, ctx) -> new Head(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4))).one();
    }

    @Override
    public void forEachInOrder(Consumer<AuditRecord> action) {
        flush();
        // Pages by position: a cursor held open would pin SQLite's single connection for the whole walk.
        long from = Long.MIN_VALUE;
        while (true) {
            List<AuditRecord> page = after(from, 1000);
            page.forEach(action);
            if (page.size() < 1000) return;
            from = page.getLast().seq();
        }
    }

    @Override
    public Pruned prune(Instant before, Instant now) {
        flush();
        return jdbi.inTransaction(h -> {
            h.createUpdate("update audit_chain set last_seq = last_seq where id = 1").execute();
            Head head = head(h);
            Optional<AuditRecord> firstKept = h.createQuery("select * from audit_events where seq = "
                            + "(select min(seq) from audit_events where seq is not null and at >= :before)")
                    .bind("before", before.toEpochMilli()).map(RECORD).findOne();
            long keepFrom = firstKept.map(AuditRecord::seq).orElse(head.lastSeq() + 1);
            String anchor = firstKept.map(AuditRecord::prevHash).orElse(head.lastHash());
            if (keepFrom <= head.firstSeq()) return new Pruned(0, head.firstSeq());
            int deleted = h.createUpdate("delete from audit_events where seq < :keep").bind("keep", keepFrom).execute();
            h.createUpdate("update audit_chain set first_seq = :seq, first_prev_hash = :anchor, pruned_at = :now where id = 1")
                    .bind("seq", keepFrom).bind("anchor", anchor).bind("now", now.toEpochMilli()).execute();
            return new Pruned(deleted, keepFrom);
        });
    }

    @Override
    public List<BucketCount> countsByBucket(String type, Instant since, Instant until, java.time.Duration bucket) {
        flush();
        // Integer division of bigints is integer division on both SQLite and PostgreSQL.
        return jdbi.withHandle(h -> h.createQuery("select (at - :since) / :width as bucket, coalesce(reason, '') as reason, count(*) as n "
                        + "from audit_events where type = :type and at >= :since and at < :until group by (at - :since) / :width, coalesce(reason, '') "
                        + "order by 1, 2")
                .bind("since", since.toEpochMilli()).bind("until", until.toEpochMilli()).bind("width", bucket.toMillis()).bind("type", type)
                .map((rs, ctx) -> new BucketCount((int) rs.getLong("bucket"), rs.getString("reason"), rs.getLong("n"))).list());
    }

    @Override
    public List<SourceCount> topSources(String type, Instant since, int limit) {
        flush();
        return jdbi.withHandle(h -> h.createQuery("select ip, count(*) as n, count(distinct coalesce(user_id, subject_hint)) as accounts "
                        + "from audit_events where type = :type and at >= :since group by ip order by n desc, ip limit :limit")
                .bind("type", type).bind("since", since.toEpochMilli()).bind("limit", limit)
                .map((rs, ctx) -> new SourceCount(rs.getString("ip"), rs.getLong("n"), rs.getLong("accounts"))).list());
    }

    @Override
    public List<AuditRecord> lockouts(Instant since, int limit) {
        flush();
        return jdbi.withHandle(h -> h.createQuery("select * from audit_events where at >= :since and seq is not null "
                        + "and (type like '%\\_locked' escape '\\' or type like '%lockout%') and type not like '%unlock%' "
                        + "order by seq desc limit :limit")
                .bind("since", since.toEpochMilli()).bind("limit", limit).map(RECORD).list());
    }
}
