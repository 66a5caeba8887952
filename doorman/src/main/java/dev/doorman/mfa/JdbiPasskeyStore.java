package dev.doorman.mfa;

import dev.doorman.account.UserId;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

public final class JdbiPasskeyStore implements PasskeyStore {
    private static final RowMapper<Passkey> MAPPER = (rs, ctx) -> {
        long lastUsed = rs.getLong("last_used_at");
        Optional<Instant> lastUsedAt = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(lastUsed));
        String transports = rs.getString("transports");
        return new Passkey(rs.getString("id"), rs.getString("credential_id"), UserId.parse(rs.getString("user_id")), rs.getString("name"),
                Base64.getDecoder().decode(rs.getString("attested_data")), rs.getLong("sign_count"), rs.getBoolean("uv_initialized"),
                rs.getBoolean("backup_eligible"), rs.getBoolean("backup_state"), rs.getBoolean("passwordless"),
                transports.isEmpty() ? Set.of() : Arrays.stream(transports.split(" ")).collect(Collectors.toSet()),
                Instant.ofEpochMilli(rs.getLong("created_at")), lastUsedAt);
    };

    private final Jdbi jdbi;

    public JdbiPasskeyStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public boolean save(Passkey p) {
        return jdbi.inTransaction(h -> {
            if (h.createQuery("select count(*) from webauthn_credentials where credential_id = :c").bind("c", p.credentialId())
                    .mapTo(Integer.class).one() > 0) return false;
            h.createUpdate("insert into webauthn_credentials (id, credential_id, user_id, name, attested_data, sign_count, uv_initialized, "
                            + "backup_eligible, backup_state, passwordless, transports, created_at) values (:id, :credentialId, :user, :name, "
                            + ":data, :signCount, :uv, :be, :bs, :passwordless, :transports, :created)")
                    .bind("id", p.id()).bind("credentialId", p.credentialId()).bind("user", p.user().toString()).bind("name", p.name())
                    .bind("data", Base64.getEncoder().encodeToString(p.attestedData())).bind("signCount", p.signCount())
                    .bind("uv", p.uvInitialized()).bind("be", p.backupEligible()).bind("bs", p.backupState())
                    .bind("passwordless", p.passwordless()).bind("transports", String.join(" ", p.transports().stream().sorted().toList()))
                    .bind("created", p.createdAt().toEpochMilli())
                    .execute();
            return true;
        });
    }

    @Override
    public List<Passkey> listByUser(UserId user) {
        return jdbi.withHandle(h -> h.createQuery("select * from webauthn_credentials where user_id = :user order by created_at")
                .bind("user", user.toString()).map(MAPPER).list());
    }

    @Override
    public Optional<Passkey> findByCredentialId(String credentialId) {
        return jdbi.withHandle(h -> h.createQuery("select * from webauthn_credentials where credential_id = :c")
                .bind("c", credentialId).map(MAPPER).findOne());
    }

    @Override
    public void used(String id, long signCount, boolean backupState, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("update webauthn_credentials set sign_count = :count, backup_state = :bs, last_used_at = :at where id = :id")
                .bind("count", signCount).bind("bs", backupState).bind("at", at.toEpochMilli()).bind("id", id).execute());
    }

    @Override
    public boolean rename(UserId user, String id, String name) {
        return jdbi.withHandle(h -> h.createUpdate("update webauthn_credentials set name = :name where id = :id and user_id = :user")
                .bind("name", name).bind("id", id).bind("user", user.toString()).execute()) > 0;
    }

    @Override
    public boolean remove(UserId user, String id) {
        return jdbi.withHandle(h -> h.createUpdate("delete from webauthn_credentials where id = :id and user_id = :user")
                .bind("id", id).bind("user", user.toString()).execute()) > 0;
    }
}
