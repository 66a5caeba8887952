package dev.doorman.mfa;

import dev.doorman.account.UserId;
import dev.doorman.session.SessionId;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.util.Optional;

public final class JdbiLoginChallengeStore implements LoginChallengeStore, FailureCounter {
    private final Jdbi jdbi;

    public JdbiLoginChallengeStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void save(String tokenHash, LoginChallenge c) {
        jdbi.useHandle(h -> h.createUpdate("insert into mfa_challenges (token_hash, user_id, password_digest, previous_session, return_to, "
                        + "failures, created_at, expires_at) values "
                        + "(:hash, :user, :digest, :previous, :returnTo, :failures, :created, :expires)")
                .bind("hash", tokenHash)
                .bind("user", c.user().toString())
                .bind("digest", c.passwordDigest())
                .bind("previous", c.previousSession().map(SessionId::toString).orElse(null))
                .bind("returnTo", c.returnTo())
                .bind("failures", c.failures())
                .bind("created", c.createdAt().toEpochMilli())
                .bind("expires", c.expiresAt().toEpochMilli())
                .execute());
    }

    @Override
    public Optional<LoginChallenge> find(String tokenHash) {
        return jdbi.withHandle(h -> h.createQuery("select * from mfa_challenges where token_hash = :hash").bind("hash", tokenHash)
                .map((rs, ctx) -> new LoginChallenge(UserId.parse(rs.getString("user_id")), rs.getString("password_digest"),
                        Optional.ofNullable(rs.getString("previous_session")).flatMap(SessionId::tryParse), rs.getString("return_to"),
                        rs.getInt("failures"),
                        Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("expires_at"))))
                .findOne());
    }

    @Override
    public int recordFailure(String tokenHash) {
        return jdbi.inTransaction(h -> {
            h.createUpdate("update mfa_challenges set failures = failures + 1 where token_hash = :hash").bind("hash", tokenHash).execute();
            return h.createQuery("select failures from mfa_challenges where token_hash = :hash").bind("hash", tokenHash)
                    .mapTo(Integer.class).findOne().orElse(0);
        });
    }

    @Override
    public boolean remove(String tokenHash) {
        return jdbi.withHandle(h -> h.createUpdate("delete from mfa_challenges where token_hash = :hash").bind("hash", tokenHash).execute()) == 1;
    }

    @Override
    public void removeAll(UserId user) {
        jdbi.useHandle(h -> h.createUpdate("delete from mfa_challenges where user_id = :user").bind("user", user.toString()).execute());
    }

    @Override
    public void record(UserId user, Instant now, Instant since) {
        jdbi.useTransaction(h -> {
            h.createUpdate("delete from mfa_failures where user_id = :user and at < :since")
                    .bind("user", user.toString()).bind("since", since.toEpochMilli()).execute();
            h.createUpdate("insert into mfa_failures (user_id, at) values (:user, :now)")
                    .bind("user", user.toString()).bind("now", now.toEpochMilli()).execute();
        });
    }

    @Override
    public int countSince(UserId user, Instant since) {
        return jdbi.withHandle(h -> h.createQuery("select count(*) from mfa_failures where user_id = :user and at >= :since")
                .bind("user", user.toString()).bind("since", since.toEpochMilli()).mapTo(Integer.class).one());
    }

    @Override
    public void clear(UserId user) {
        jdbi.useHandle(h -> h.createUpdate("delete from mfa_failures where user_id = :user").bind("user", user.toString()).execute());
    }
}
