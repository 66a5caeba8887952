package dev.doorman.session;

import dev.doorman.account.UserId;
import dev.doorman.support.ClientInfo;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

public final class JdbiSessionStore implements SessionStore {
    private static final String COLUMNS = "id, user_id, created_at, last_seen_at, expires_at, auth_time, ip, user_agent, amr, second_factor_at";
    private static final RowMapper<Session> MAPPER = (rs, ctx) -> new Session(
            new SessionId(UUID.fromString(rs.getString("id"))),
            UserId.parse(rs.getString("user_id")),
            Instant.ofEpochMilli(rs.getLong("created_at")),
            Instant.ofEpochMilli(rs.getLong("last_seen_at")),
            Instant.ofEpochMilli(rs.getLong("expires_at")),
            Instant.ofEpochMilli(rs.getLong("auth_time")),
            new ClientInfo(rs.getString("ip"), rs.getString("user_agent")),
            List.of(rs.getString("amr").split(" ")),
            secondFactorAt(rs));

    private static Optional<Instant> secondFactorAt(java.sql.ResultSet rs) throws java.sql.SQLException {
        long at = rs.getLong("second_factor_at");
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(at));
    }

    private final Jdbi jdbi;

    public JdbiSessionStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void save(Session s, String tokenHash) {
        jdbi.useHandle(h -> h.createUpdate("insert into sessions (token_hash, " + COLUMNS + ") values "
                        + "(:hash, :id, :user, :created, :seen, :expires, :authTime, :ip, :ua, :amr, :secondFactorAt)")
                .bind("hash", tokenHash)
                .bind("id", s.id().toString())
                .bind("user", s.user().toString())
                .bind("created", s.createdAt().toEpochMilli())
                .bind("seen", s.lastSeenAt().toEpochMilli())
                .bind("expires", s.expiresAt().toEpochMilli())
                .bind("authTime", s.authTime().toEpochMilli())
                .bind("ip", s.client().ip())
                .bind("ua", s.client().userAgent())
                .bind("amr", String.join(" ", s.amr()))
                .bind("secondFactorAt", s.secondFactorAt().map(Instant::toEpochMilli).orElse(null))
                .execute());
    }

    @Override
    public Optional<Session> findByTokenHash(String tokenHash) {
        return jdbi.withHandle(h -> h.createQuery("select " + COLUMNS + " from sessions where token_hash = :hash")
                .bind("hash", tokenHash).map(MAPPER).findOne());
    }

    @Override
    public List<Session> listByUser(UserId user) {
        return jdbi.withHandle(h -> h.createQuery("select " + COLUMNS + " from sessions where user_id = :user order by created_at desc")
                .bind("user", user.toString()).map(MAPPER).list());
    }

    @Override
    public void touch(SessionId id, Instant lastSeen) {
        jdbi.useHandle(h -> h.createUpdate("update sessions set last_seen_at = :seen where id = :id and last_seen_at < :seen")
                .bind("id", id.toString()).bind("seen", lastSeen.toEpochMilli()).execute());
    }

    @Override
    public boolean reauthenticated(SessionId id, String newTokenHash, Instant authTime, List<String> amr, Optional<Instant> secondFactorAt) {
        return jdbi.withHandle(h -> h.createUpdate("update sessions set token_hash = :hash, auth_time = :authTime, amr = :amr, "
                        + "second_factor_at = :secondFactorAt, last_seen_at = :authTime where id = :id")
                .bind("hash", newTokenHash)
                .bind("authTime", authTime.toEpochMilli())
                .bind("amr", String.join(" ", amr))
                .bind("secondFactorAt", secondFactorAt.map(Instant::toEpochMilli).orElse(null))
                .bind("id", id.toString())
                .execute()) > 0;
    }

    @Override
    public boolean remove(UserId user, SessionId id) {
        return jdbi.withHandle(h -> h.createUpdate("delete from sessions where id = :id and user_id = :user")
                .bind("id", id.toString()).bind("user", user.toString()).execute()) > 0;
    }

    @Override
    public int removeAllExcept(UserId user, Optional<SessionId> keep) {
        return jdbi.withHandle(h -> h.createUpdate("delete from sessions where user_id = :user and id <> :keep")
                .bind("user", user.toString())
                .bind("keep", keep.map(SessionId::toString).orElse(""))
                .execute());
    }
}
