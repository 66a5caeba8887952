package dev.doorman.mfa;

import dev.doorman.account.UserId;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.util.List;

public final class JdbiRecoveryCodeStore implements RecoveryCodeStore {
    private final Jdbi jdbi;

    public JdbiRecoveryCodeStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void replace(UserId user, List<String> hashes, Instant now) {
        jdbi.useTransaction(h -> {
            h.createUpdate("delete from mfa_recovery_codes where user_id = :user").bind("user", user.toString()).execute();
            var batch = h.prepareBatch("insert into mfa_recovery_codes (code_hash, user_id, created_at) values (:hash, :user, :now)");
            for (String hash : hashes) batch.bind("hash", hash).bind("user", user.toString()).bind("now", now.toEpochMilli()).add();
            batch.execute();
        });
    }

    @Override
    public boolean consume(UserId user, String hash) {
        // The delete is the check: of two concurrent uses, only one deletes the row.
        return jdbi.withHandle(h -> h.createUpdate("delete from mfa_recovery_codes where code_hash = :hash and user_id = :user")
                .bind("hash", hash).bind("user", user.toString()).execute()) == 1;
    }

    @Override
    public int count(UserId user) {
        return jdbi.withHandle(h -> h.createQuery("select count(*) from mfa_recovery_codes where user_id = :user")
                .bind("user", user.toString()).mapTo(Integer.class).one());
    }

    @Override
    public void removeAll(UserId user) {
        jdbi.useHandle(h -> h.createUpdate("delete from mfa_recovery_codes where user_id = :user").bind("user", user.toString()).execute());
    }
}
