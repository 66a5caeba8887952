package dev.doorman.db;

import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.util.function.Supplier;

/** Secrets every node must share, created once by whichever node asks first. */
public final class ServerSecrets {
    private final Jdbi jdbi;
    private final Clock clock;

    public ServerSecrets(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public String getOrCreate(String name, Supplier<String> newValue) {
        return jdbi.inTransaction(h -> {
            h.createUpdate("insert into server_secrets (name, value, created_at) values (:name, :value, :at) on conflict (name) do nothing")
                    .bind("name", name).bind("value", newValue.get()).bind("at", clock.millis()).execute();
            return h.createQuery("select value from server_secrets where name = :name").bind("name", name).mapTo(String.class).one();
        });
    }
}
