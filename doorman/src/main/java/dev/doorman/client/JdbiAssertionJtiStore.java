package dev.doorman.client;

import org.jdbi.v3.core.Jdbi;

import java.time.Instant;

/**
 * The {@code client_assertion_jtis} table. The insert is the atomic step: the primary key lets exactly one of
 * concurrent claims of one assertion through, on SQLite and PostgreSQL alike.
 */
public final class JdbiAssertionJtiStore implements AssertionJtiStore {
    private final Jdbi jdbi;

    public JdbiAssertionJtiStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public boolean claim(String jtiHash, Instant expiresAt, Instant now) {
        return jdbi.withHandle(h -> {
            // Separate statements, no transaction: the purge must not hold locks while the insert waits on a concurrent claim.
            h.createUpdate("delete from client_assertion_jtis where expires_at <= :now").bind("now", now.toEpochMilli()).execute();
            return h.createUpdate("insert into client_assertion_jtis (jti_hash, expires_at) values (:hash, :expires) "
                            + "on conflict (jti_hash) do nothing")
                    .bind("hash", jtiHash).bind("expires", expiresAt.toEpochMilli()).execute() == 1;
        });
    }
}
