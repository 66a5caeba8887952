package dev.doorman.mfa;

import dev.doorman.account.UserId;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.util.Optional;

public final class JdbiCeremonyStore implements CeremonyStore {
    private final Jdbi jdbi;

    public JdbiCeremonyStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void save(String challengeHash, Ceremony c) {
        jdbi.useHandle(h -> h.createUpdate("insert into webauthn_ceremonies (challenge_hash, purpose, user_id, binding, expires_at) "
                        + "values (:hash, :purpose, :user, :binding, :expires)")
                .bind("hash", challengeHash).bind("purpose", c.purpose().name()).bind("user", c.user().map(UserId::toString).orElse(null))
                .bind("binding", c.binding().orElse(null)).bind("expires", c.expiresAt().toEpochMilli()).execute());
    }

    @Override
    public Optional<Ceremony> consume(String challengeHash) {
        return jdbi.inTransaction(h -> {
            Optional<Ceremony> found = h.createQuery("select * from webauthn_ceremonies where challenge_hash = :hash").bind("hash", challengeHash)
                    .map((rs, ctx) -> new Ceremony(Purpose.valueOf(rs.getString("purpose")),
                            Optional.ofNullable(rs.getString("user_id")).map(UserId::parse), Optional.ofNullable(rs.getString("binding")),
                            Instant.ofEpochMilli(rs.getLong("expires_at"))))
                    .findOne();
            if (found.isEmpty()) return found;
            // Of two concurrent answers, only the one whose delete removed the row goes on.
            int deleted = h.createUpdate("delete from webauthn_ceremonies where challenge_hash = :hash").bind("hash", challengeHash).execute();
            return deleted == 1 ? found : Optional.empty();
        });
    }
}
