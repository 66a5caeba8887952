package dev.doorman.oauth2.code;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.openid.connect.sdk.Nonce;
import dev.doorman.account.UserId;
import dev.doorman.session.SessionId;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Codes in {@code authorization_codes}. Redemption is one conditional update, {@code … where consumed_at is null}:
 * on PostgreSQL a concurrent redeemer waits for the winner's row lock and then finds the condition false; on SQLite
 * writers are serialised by the IMMEDIATE transaction. Either way exactly one caller changes the row, so the same SQL
 * gives single-winner semantics on both databases. A redeemed code stays, so that a replay is recognised.
 */
public final class JdbiCodeStore implements CodeStore {
    private static final String COLUMNS = "grant_id, client_id, redirect_uri, code_challenge, scope, nonce, user_id, session_id, "
            + "auth_time, amr, acr, expires_at";
    private static final RowMapper<CodeGrant> MAPPER = (rs, ctx) -> new CodeGrant(
            rs.getString("grant_id"),
            new ClientID(rs.getString("client_id")),
            URI.create(rs.getString("redirect_uri")),
            challenge(rs.getString("code_challenge")),
            scope(rs.getString("scope")),
            Optional.ofNullable(rs.getString("nonce")).map(Nonce::new),
            UserId.parse(rs.getString("user_id")),
            new SessionId(UUID.fromString(rs.getString("session_id"))),
            Instant.ofEpochMilli(rs.getLong("auth_time")),
            amr(rs),
            Optional.ofNullable(rs.getString("acr")),
            Instant.ofEpochMilli(rs.getLong("expires_at")));

    private final Jdbi jdbi;
    private final Clock clock;

    public JdbiCodeStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    @Override
    public void save(String codeHash, CodeGrant g) {
        jdbi.useHandle(h -> h.createUpdate("insert into authorization_codes (code_hash, " + COLUMNS + ") values (:hash, :grant, "
                        + ":client, :redirect, :challenge, :scope, :nonce, :user, :session, :authTime, :amr, :acr, :expires)")
                .bind("hash", codeHash)
                .bind("grant", g.grantId())
                .bind("client", g.client().getValue())
                .bind("redirect", g.redirectUri().toString())
                .bind("challenge", g.challenge().getValue())
                .bind("scope", g.scope().toString())
                .bind("nonce", g.nonce().map(Nonce::getValue).orElse(null))
                .bind("user", g.user().toString())
                .bind("session", g.session().toString())
                .bind("authTime", g.authTime().toEpochMilli())
                .bind("amr", String.join(" ", g.amr()))
                .bind("acr", g.acr().orElse(null))
                .bind("expires", g.expiresAt().toEpochMilli())
                .execute());
    }

    @Override
    public Optional<Redemption> consume(String codeHash) {
        long now = clock.millis();
        return jdbi.inTransaction(h -> {
            boolean won = h.createUpdate("update authorization_codes set consumed_at = :now where code_hash = :hash and consumed_at is null")
                    .bind("now", now).bind("hash", codeHash).execute() == 1;
            return h.createQuery("select " + COLUMNS + " from authorization_codes where code_hash = :hash")
                    .bind("hash", codeHash).map(MAPPER).findOne()
                    .map(grant -> won ? new Redemption.Redeemed(grant) : new Redemption.Replayed(grant));
        });
    }

    private static CodeChallenge challenge(String value) {
        try {
            return CodeChallenge.parse(value);
        } catch (ParseException e) {
            throw new IllegalStateException("a stored code challenge does not parse", e);
        }
    }

    private static Scope scope(String value) {
        return Optional.ofNullable(Scope.parse(value)).orElseGet(Scope::new);
    }

    private static List<String> amr(ResultSet rs) throws SQLException {
        String amr = rs.getString("amr");
        return amr.isEmpty() ? List.of() : Arrays.asList(amr.split(" "));
    }
}
