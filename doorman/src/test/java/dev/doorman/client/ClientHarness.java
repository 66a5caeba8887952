package dev.doorman.client;

import dev.doorman.Doorman;
import dev.doorman.DoormanSettings;
import dev.doorman.audit.AuditEvent;
import dev.doorman.db.Database;
import dev.doorman.db.DbSettings;
import dev.doorman.db.Dialect;
import dev.doorman.testkit.MutableClock;
import dev.doorman.testkit.TestPostgres;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A migrated SQLite or PostgreSQL database with Doorman wired on it as Main wires it, on a clock the test moves. */
final class ClientHarness implements AutoCloseable {
    static final URI ISSUER = URI.create("https://login.example.org");
    static final URI TOKEN_ENDPOINT = URI.create("https://login.example.org/oauth2/token");

    final MutableClock clock;
    final Database db;
    final Doorman doorman;

    private ClientHarness(Dialect dialect, Path dir, Instant start) {
        clock = MutableClock.at(start);
        db = Database.open(switch (dialect) {
            case SQLITE -> DbSettings.embedded(dir);
            case POSTGRES -> {
                var pg = TestPostgres.newDatabase();
                yield DbSettings.jdbc(pg.jdbcUrl(), pg.user(), pg.password());
            }
        });
        db.migrate();
        doorman = Doorman.builder(DoormanSettings.dev(ISSUER), db).clock(clock).build();
    }

    static ClientHarness sqlite(Path dir) {
        return new ClientHarness(Dialect.SQLITE, dir, Instant.parse("2025-03-01T09:00:00Z"));
    }

    static ClientHarness open(Dialect dialect, Path dir) {
        return new ClientHarness(dialect, dir, Instant.parse("2025-03-01T09:00:00Z"));
    }

    ClientStore store() {
        return doorman.clientStore();
    }

    ClientService service() {
        return doorman.clientService();
    }

    ClientAuthenticator authenticator() {
        return doorman.clientAuthenticator();
    }

    /** The clients row exactly as stored. */
    Map<String, Object> rawRow(String clientId) {
        return db.jdbi().withHandle(h -> h.createQuery("select * from clients where client_id = :id").bind("id", clientId).mapToMap().one());
    }

    int jtiRows() {
        return db.jdbi().withHandle(h -> h.createQuery("select count(*) from client_assertion_jtis").mapTo(Integer.class).one());
    }

    /** Oldest first. */
    List<AuditEvent> audit() {
        return doorman.auditTrail().recent(1000).reversed();
    }

    @Override
    public void close() {
        doorman.close();
        db.close();
    }
}
