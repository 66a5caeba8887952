package dev.doorman.mfa;

import dev.doorman.account.UserId;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.util.Optional;

public final class JdbiTotpStore implements TotpStore {
    private final Jdbi jdbi;

    public JdbiTotpStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void savePending(UserId user, String sealedSecret, Instant expiresAt) {
        jdbi.useTransaction(h -> {
            h.createUpdate("delete from mfa_totp_pending where user_id = :user").bind("user", user.toString()).execute();
            h.createUpdate("insert into mfa_totp_pending (user_id, secret_sealed, expires_at) values (:user, :secret, :expires)")
                    .bind("user", user.toString()).bind("secret", sealedSecret).bind("expires", expiresAt.toEpochMilli()).execute();
        });
    }

    @Override
    public Optional<String> findPending(UserId user, Instant now) {
        return jdbi.withHandle(h -> h.createQuery("select secret_sealed from mfa_totp_pending where user_id = :user and expires_at > :now")
                .bind("user", user.toString()).bind("now", now.toEpochMilli()).mapTo(String.class).findOne());
    }

    @Override
    public boolean confirm(UserId user, String pendingSealed, String activeSealed, long step, Instant now) {
        return jdbi.inTransaction(h -> {
            boolean exists = h.createQuery("select count(*) from mfa_totp where user_id = :user").bind("user", user.toString())
                    .mapTo(Integer.class).one() > 0;
            if (exists) return false;
            int taken = h.createUpdate("delete from mfa_totp_pending where user_id = :user and secret_sealed = :secret")
                    .bind("user", user.toString()).bind("secret", pendingSealed).execute();
            if (taken == 0) return false;
            h.createUpdate("insert into mfa_totp (user_id, secret_sealed, last_step, created_at) values (:user, :secret, :step, :now)")
                    .bind("user", user.toString()).bind("secret", activeSealed).bind("step", step).bind("now", now.toEpochMilli()).execute();
            return true;
        });
    }

    @Override
    public Optional<Credential> find(UserId user) {
        return jdbi.withHandle(h -> h.createQuery("select secret_sealed, last_step, created_at from mfa_totp where user_id = :user")
                .bind("user", user.toString())
                .map((rs, ctx) -> new Credential(user, rs.getString("secret_sealed"), rs.getLong("last_step"),
                        Instant.ofEpochMilli(rs.getLong("created_at"))))
                .findOne());
    }

    @Override
    public boolean useStep(UserId user, long step) {
        return jdbi.withHandle(h -> h.createUpdate("update mfa_totp set last_step = :step where user_id = :user and last_step < :step")
                .bind("user", user.toString()).bind("step", step).execute()) == 1;
    }

    @Override
    public boolean remove(UserId user) {
        return jdbi.withHandle(h -> h.createUpdate("delete from mfa_totp where user_id = :user").bind("user", user.toString()).execute()) > 0;
    }
}
