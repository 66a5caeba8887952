package dev.doorman.account;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

public final class JdbiUserStore implements UserStore {
    private static final String COLUMNS = "id, email, name, password_hash, email_verified, disabled, created_at, updated_at";
    private static final RowMapper<User> MAPPER = (rs, ctx) -> new User(
            UserId.parse(rs.getString("id")),
            new Email(rs.getString("email")),
            Optional.ofNullable(rs.getString("name")),
            Optional.ofNullable(rs.getString("password_hash")),
            rs.getBoolean("email_verified"),
            rs.getBoolean("disabled"),
            Instant.ofEpochMilli(rs.getLong("created_at")),
            Instant.ofEpochMilli(rs.getLong("updated_at")));

    private final Jdbi jdbi;

    public JdbiUserStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public boolean insert(User u) {
        return jdbi.withHandle(h -> h.createUpdate("insert into users (" + COLUMNS + ") values "
                        + "(:id, :email, :name, :hash, :verified, :disabled, :created, :updated) on conflict (email) do nothing")
                .bind("id", u.id().toString())
                .bind("email", u.email().value())
                .bind("name", u.name().orElse(null))
                .bind("hash", u.passwordHash().orElse(null))
                .bind("verified", u.emailVerified())
                .bind("disabled", u.disabled())
                .bind("created", u.createdAt().toEpochMilli())
                .bind("updated", u.updatedAt().toEpochMilli())
                .execute()) == 1;
    }

    @Override
    public Optional<User> find(UserId id) {
        return jdbi.withHandle(h -> h.createQuery("select " + COLUMNS + " from users where id = :id")
                .bind("id", id.toString()).map(MAPPER).findOne());
    }

    @Override
    public Optional<User> findByEmail(Email email) {
        return jdbi.withHandle(h -> h.createQuery("select " + COLUMNS + " from users where email = :email")
                .bind("email", email.value()).map(MAPPER).findOne());
    }

    @Override
    public void update(User u) {
        jdbi.useHandle(h -> h.createUpdate("update users set name = :name, password_hash = :hash, email_verified = :verified, "
                        + "disabled = :disabled, updated_at = :updated where id = :id")
                .bind("id", u.id().toString())
                .bind("name", u.name().orElse(null))
                .bind("hash", u.passwordHash().orElse(null))
                .bind("verified", u.emailVerified())
                .bind("disabled", u.disabled())
                .bind("updated", u.updatedAt().toEpochMilli())
                .execute());
    }

    @Override
    public boolean lockIfUnchanged(UserId id, String passwordHash) {
        return jdbi.withHandle(h -> h.createUpdate("update users set updated_at = updated_at "
                        + "where id = :id and password_hash = :hash and disabled = false")
                .bind("id", id.toString()).bind("hash", passwordHash).execute()) == 1;
    }

    @Override
    public List<User> list(int offset, int limit) {
        return jdbi.withHandle(h -> h.createQuery("select " + COLUMNS + " from users order by email limit :limit offset :offset")
                .bind("limit", limit).bind("offset", offset).map(MAPPER).list());
    }
}
