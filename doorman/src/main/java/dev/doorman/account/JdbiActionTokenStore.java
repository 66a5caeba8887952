package dev.doorman.account;

import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.util.Optional;

public final class JdbiActionTokenStore implements ActionTokenStore {
    private final Jdbi jdbi;

    public JdbiActionTokenStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void save(StoredToken t) {
        jdbi.useHandle(h -> h.createUpdate("insert into action_tokens (token_hash, purpose, user_id, created_at, expires_at) "
                        + "values (:hash, :purpose, :user, :created, :expires)")
                .bind("hash", t.hash()).bind("purpose", t.purpose().name()).bind("user", t.user().toString())
                .bind("created", t.createdAt().toEpochMilli()).bind("expires", t.expiresAt().toEpochMilli())
                .execute());
    }

    @Override
    public Optional<StoredToken> find(String hash, Purpose purpose) {
        return jdbi.withHandle(h -> h.createQuery("select token_hash, purpose, user_id, created_at, expires_at from action_tokens "
                        + "where token_hash = :hash and purpose = :purpose")
                .bind("hash", hash).bind("purpose", purpose.name())
                .map((rs, ctx) -> new StoredToken(rs.getString("token_hash"), Purpose.valueOf(rs.getString("purpose")),
                        UserId.parse(rs.getString("user_id")), Instant.ofEpochMilli(rs.getLong("created_at")),
                        Instant.ofEpochMilli(rs.getLong("expires_at"))))
                .findOne());
    }

    @Override
    public boolean remove(String hash) {
        return jdbi.withHandle(h -> h.createUpdate("delete from action_tokens where token_hash = :hash").bind("hash", hash).execute()) == 1;
    }

    @Override
    public void removeAll(UserId user, Purpose purpose) {
        jdbi.useHandle(h -> h.createUpdate("delete from action_tokens where user_id = :user and purpose = :purpose")
                .bind("user", user.toString()).bind("purpose", purpose.name()).execute());
    }
}
