package dev.doorman.oauth2.revocation;

import com.nimbusds.oauth2.sdk.id.JWTID;
import dev.doorman.oauth2.token.TokensOf;
import dev.doorman.oauth2.token.TokensOfSql;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The list in {@code revoked_access_tokens}, fed from the ledger in {@code issued_access_tokens} with one
 * {@code insert … select}. {@code on conflict do nothing} (PostgreSQL 9.5+, SQLite 3.24+) makes every revocation
 * idempotent on both databases.
 */
public final class JdbiRevocationList implements RevocationList {
    private final Jdbi jdbi;
    private final Clock clock;

    public JdbiRevocationList(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    @Override
    public void revoke(JWTID jti, Instant expiresAt) {
        Instant now = clock.instant();
        if (!expiresAt.isAfter(now)) return;
        jdbi.useHandle(h -> h.createUpdate("insert into revoked_access_tokens (jti, expires_at, revoked_at) values (:jti, :expires, :now) "
                        + "on conflict (jti) do nothing")
                .bind("jti", jti.getValue()).bind("expires", expiresAt.toEpochMilli()).bind("now", now.toEpochMilli())
                .execute());
    }

    @Override
    public int revokeAll(TokensOf tokens) {
        long now = clock.millis();
        // SQLite needs the WHERE clause of an INSERT … SELECT … ON CONFLICT to tell the upsert from a join's ON.
        return jdbi.withHandle(h -> TokensOfSql.bind(h.createUpdate("insert into revoked_access_tokens (jti, expires_at, revoked_at) "
                        + "select jti, expires_at, :now from issued_access_tokens where expires_at > :now and " + TokensOfSql.where(tokens)
                        + " on conflict (jti) do nothing"), tokens)
                .bind("now", now)
                .execute());
    }

    @Override
    public boolean isRevoked(JWTID jti) {
        return jdbi.withHandle(h -> h.createQuery("select count(*) from revoked_access_tokens where jti = :jti")
                .bind("jti", jti.getValue()).mapTo(Integer.class).one()) > 0;
    }

    @Override
    public List<RevokedToken> current() {
        return jdbi.withHandle(h -> h.createQuery("select jti, expires_at from revoked_access_tokens where expires_at > :now "
                        + "order by expires_at, jti")
                .bind("now", clock.millis())
                .map((rs, ctx) -> new RevokedToken(new JWTID(rs.getString("jti")), Instant.ofEpochMilli(rs.getLong("expires_at"))))
                .list());
    }

    @Override
    public int purgeExpired() {
        long now = clock.millis();
        return jdbi.inTransaction(h -> h.createUpdate("delete from revoked_access_tokens where expires_at <= :now").bind("now", now).execute()
                + h.createUpdate("delete from issued_access_tokens where expires_at <= :now").bind("now", now).execute());
    }
}
