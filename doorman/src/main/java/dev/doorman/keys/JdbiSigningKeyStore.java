package dev.doorman.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.text.ParseException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link SigningKeyStore} in the {@code signing_keys} table; the same SQL on SQLite and PostgreSQL. */
public final class JdbiSigningKeyStore implements SigningKeyStore {
    private static final String COLUMNS = "kid, alg, state, public_jwk, private_jwk, kek_id, created_at, activated_at, retired_at";
    private static final RowMapper<SigningKey> MAPPER = (rs, ctx) -> {
        String privateJwk = rs.getString("private_jwk");
        return new SigningKey(
                new KeyId(rs.getString("kid")),
                JWSAlgorithm.parse(rs.getString("alg")),
                KeyState.fromDb(rs.getString("state")),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                instant(rs, "activated_at"),
                instant(rs, "retired_at"),
                parseJwk(rs.getString("public_jwk"), rs.getString("kid")),
                privateJwk == null ? Optional.empty() : Optional.of(new SealedJwk(rs.getString("kek_id"), privateJwk)));
    };

    private final Jdbi jdbi;

    public JdbiSigningKeyStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public List<SigningKey> all() {
        return jdbi.withHandle(h -> h.createQuery("select " + COLUMNS + " from signing_keys order by created_at, kid").map(MAPPER).list());
    }

    @Override
    public boolean add(SigningKey key) {
        // No conflict target: the primary key and the one-live-key-per-state index both turn the insert into nothing.
        return jdbi.withHandle(h -> h.createUpdate("insert into signing_keys (" + COLUMNS + ") values "
                        + "(:kid, :alg, :state, :publicJwk, :privateJwk, :kekId, :created, :activated, :retired) on conflict do nothing")
                .bind("kid", key.kid().value())
                .bind("alg", key.algorithm().getName())
                .bind("state", key.state().dbValue())
                .bind("publicJwk", key.publicJwk().toJSONString())
                .bind("privateJwk", key.privateJwk().map(SealedJwk::ciphertext).orElse(null))
                .bind("kekId", key.privateJwk().map(SealedJwk::kekId).orElse(null))
                .bind("created", key.createdAt().toEpochMilli())
                .bind("activated", key.activatedAt().map(Instant::toEpochMilli).orElse(null))
                .bind("retired", key.retiredAt().map(Instant::toEpochMilli).orElse(null))
                .execute()) == 1;
    }

    @Override
    public boolean transition(KeyId kid, KeyState from, KeyState to, Instant at) {
        String set = switch (to) {
            case ACTIVE -> "state = 'active', activated_at = :at";
            case RETIRED -> "state = 'retired', retired_at = :at, private_jwk = null, kek_id = null";
            case NEXT -> throw new IllegalArgumentException("no key goes back to next");
        };
        return jdbi.withHandle(h -> h.createUpdate("update signing_keys set " + set + " where kid = :kid and state = :from")
                .bind("at", at.toEpochMilli())
                .bind("kid", kid.value())
                .bind("from", from.dbValue())
                .execute()) == 1;
    }

    @Override
    public boolean discardNext(KeyId kid) {
        return jdbi.withHandle(h -> h.createUpdate("delete from signing_keys where kid = :kid and state = 'next'")
                .bind("kid", kid.value()).execute()) == 1;
    }

    @Override
    public int deleteRetiredBefore(Instant cutoff) {
        return jdbi.withHandle(h -> h.createUpdate("delete from signing_keys where state = 'retired' and retired_at < :cutoff")
                .bind("cutoff", cutoff.toEpochMilli()).execute());
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    }

    private static JWK parseJwk(String json, String kid) {
        try {
            return JWK.parse(json);
        } catch (ParseException e) {
            throw new IllegalStateException("the stored public JWK of signing key " + kid + " is not a JWK", e);
        }
    }
}
