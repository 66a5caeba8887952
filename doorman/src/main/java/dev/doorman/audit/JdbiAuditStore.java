package dev.doorman.audit;

import dev.doorman.account.UserId;
import dev.doorman.support.ClientInfo;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

public final class JdbiAuditStore implements AuditStore {
    private static final RowMapper<AuditEvent> MAPPER = (rs, ctx) -> new AuditEvent(
            Instant.ofEpochMilli(rs.getLong("at")),
            AuditType.valueOf(rs.getString("type").toUpperCase(java.util.Locale.ROOT)),
            AuditEvent.Outcome.valueOf(rs.getString("outcome").toUpperCase(java.util.Locale.ROOT)),
            Optional.ofNullable(rs.getString("reason")),
            Optional.ofNullable(rs.getString("user_id")).map(UserId::parse),
            Optional.ofNullable(rs.getString("subject_hint")),
            new ClientInfo(rs.getString("ip"), rs.getString("user_agent")));

    private final Jdbi jdbi;

    public JdbiAuditStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void append(AuditEvent e) {
        jdbi.useHandle(h -> h.createUpdate("insert into audit_events (id, at, type, outcome, reason, user_id, subject_hint, ip, user_agent) "
                        + "values (:id, :at, :type, :outcome, :reason, :user, :hint, :ip, :ua)")
                .bind("id", UUID.randomUUID().toString())
                .bind("at", e.at().toEpochMilli())
                .bind("type", e.type().wireName())
                .bind("outcome", e.outcome().name().toLowerCase(java.util.Locale.ROOT))
                .bind("reason", e.reason().orElse(null))
                .bind("user", e.user().map(UserId::toString).orElse(null))
                .bind("hint", e.subjectHint().orElse(null))
                .bind("ip", e.client().ip())
                .bind("ua", e.client().userAgent())
                .execute());
    }

    @Override
    public List<AuditEvent> recent(int limit) {
        return jdbi.withHandle(h -> h.createQuery("select * from audit_events order by at desc, id limit :limit")
                .bind("limit", limit).map(MAPPER).list());
    }

    @Override
    public List<AuditEvent> forUser(UserId user, int limit) {
        return jdbi.withHandle(h -> h.createQuery("select * from audit_events where user_id = :user order by at desc, id limit :limit")
                .bind("user", user.toString()).bind("limit", limit).map(MAPPER).list());
    }
}
