package dev.doorman.oauth2.token;

import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.doorman.account.UserId;
import dev.doorman.oauth2.Authentication;
import dev.doorman.oauth2.GrantId;
import dev.doorman.session.SessionId;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Refresh tokens in {@code refresh_tokens}. Rotation is one conditional update that only a usable token passes
 * ({@code rotated_at is null and revoked_at is null} and inside both lifetimes), then the insert of the successor,
 * in one transaction. Under PostgreSQL's READ COMMITTED a concurrent rotation waits for the winner's row lock and then
 * fails the condition; SQLite serialises writers. The same SQL therefore has one winner on both databases, and a
 * partial unique index (one usable token per family) backs it up.
 */
public final class JdbiRefreshTokenStore implements RefreshTokenStore {
    private static final String COLUMNS = "token_hash, family_id, grant_id, client_id, user_id, session_id, auth_time, amr, acr, scope, "
            + "created_at, last_used_at, idle_expires_at, family_expires_at, rotated_at, revoked_at";
    private static final RowMapper<RefreshToken> MAPPER = (rs, ctx) -> new RefreshToken(
            rs.getString("token_hash"),
            new FamilyId(rs.getString("family_id")),
            new GrantId(rs.getString("grant_id")),
            new ClientID(rs.getString("client_id")),
            Optional.ofNullable(rs.getString("user_id")).map(UserId::parse),
            Optional.ofNullable(rs.getString("session_id")).map(s -> new SessionId(UUID.fromString(s))),
            authentication(rs),
            Optional.ofNullable(Scope.parse(rs.getString("scope"))).orElseGet(Scope::new),
            Instant.ofEpochMilli(rs.getLong("created_at")),
            instant(rs, "last_used_at"),
            Instant.ofEpochMilli(rs.getLong("idle_expires_at")),
            Instant.ofEpochMilli(rs.getLong("family_expires_at")),
            instant(rs, "rotated_at"),
            instant(rs, "revoked_at"));

    private final Jdbi jdbi;
    private final Clock clock;

    public JdbiRefreshTokenStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    @Override
    public void save(RefreshToken token) {
        jdbi.useHandle(h -> insert(h, token));
    }

    @Override
    public Optional<RefreshToken> find(String tokenHash) {
        return jdbi.withHandle(h -> select(h, tokenHash));
    }

    @Override
    public Optional<Rotation> rotate(String presentedHash, String nextHash, Duration idleTtl) {
        Instant now = clock.instant();
        return jdbi.inTransaction(h -> {
            boolean won = h.createUpdate("update refresh_tokens set rotated_at = :now, last_used_at = :now where token_hash = :hash "
                            + "and rotated_at is null and revoked_at is null and idle_expires_at > :now and family_expires_at > :now")
                    .bind("now", now.toEpochMilli()).bind("hash", presentedHash).execute() == 1;
            Optional<RefreshToken> stored = select(h, presentedHash);
            if (stored.isEmpty()) return Optional.<Rotation>empty();
            RefreshToken token = stored.get();
            if (won) {
                RefreshToken next = token.successor(nextHash, now, idleTtl);
                insert(h, next);
                return Optional.<Rotation>of(new Rotation.Rotated(token, next));
            }
            return Optional.of(switch (token.state(now)) {
                case ROTATED -> new Rotation.Reused(token);
                case REVOKED -> new Rotation.Revoked(token);
                case IDLE_EXPIRED -> new Rotation.Expired(token, true);
                case EXPIRED -> new Rotation.Expired(token, false);
                case ACTIVE -> throw new IllegalStateException("a usable refresh token failed its rotation");
            });
        });
    }

    @Override
    public int revoke(TokensOf tokens) {
        long now = clock.millis();
        return jdbi.withHandle(h -> TokensOfSql.bind(h.createUpdate(
                        "update refresh_tokens set revoked_at = :now where revoked_at is null and " + TokensOfSql.where(tokens)), tokens)
                .bind("now", now)
                .execute());
    }

    private static Optional<RefreshToken> select(Handle h, String tokenHash) {
        return h.createQuery("select " + COLUMNS + " from refresh_tokens where token_hash = :hash")
                .bind("hash", tokenHash).map(MAPPER).findOne();
    }

    private static void insert(Handle h, RefreshToken t) {
        h.createUpdate("insert into refresh_tokens (" + COLUMNS + ") values (:hash, :family, :grant, :client, :user, :session, :authTime, "
                        + ":amr, :acr, :scope, :created, :lastUsed, :idleExpires, :familyExpires, :rotated, :revoked)")
                .bind("hash", t.hash())
                .bind("family", t.family().value())
                .bind("grant", t.grant().value())
                .bind("client", t.client().getValue())
                .bind("user", t.user().map(UserId::toString).orElse(null))
                .bind("session", t.session().map(SessionId::toString).orElse(null))
                .bind("authTime", millis(t.authentication().map(Authentication::authTime)))
                .bind("amr", t.authentication().map(a -> String.join(" ", a.amr())).orElse(null))
                .bind("acr", t.authentication().flatMap(Authentication::acr).orElse(null))
                .bind("scope", t.scope().toString())
                .bind("created", t.createdAt().toEpochMilli())
                .bind("lastUsed", millis(t.lastUsedAt()))
                .bind("idleExpires", t.idleExpiresAt().toEpochMilli())
                .bind("familyExpires", t.familyExpiresAt().toEpochMilli())
                .bind("rotated", millis(t.rotatedAt()))
                .bind("revoked", millis(t.revokedAt()))
                .execute();
    }

    private static Long millis(Optional<Instant> instant) {
        return instant.map(Instant::toEpochMilli).orElse(null);
    }

    /** Known only when {@code auth_time} is: a family from before V10 has NULLs, and claims nothing about how the user authenticated. */
    private static Optional<Authentication> authentication(ResultSet rs) throws SQLException {
        Optional<Instant> authTime = instant(rs, "auth_time");
        if (authTime.isEmpty()) return Optional.empty();
        String amr = Objects.requireNonNullElse(rs.getString("amr"), "");
        return Optional.of(new Authentication(authTime.get(), amr.isEmpty() ? List.of() : List.of(amr.split(" ")),
                Optional.ofNullable(rs.getString("acr"))));
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    }
}
