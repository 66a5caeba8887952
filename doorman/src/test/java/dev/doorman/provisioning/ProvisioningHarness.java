package dev.doorman.provisioning;

import dev.doorman.Doorman;
import dev.doorman.DoormanSettings;
import dev.doorman.account.UserId;
import dev.doorman.audit.AuditEvent;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditType;
import dev.doorman.db.Database;
import dev.doorman.db.DbSettings;
import dev.doorman.testkit.MutableClock;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A migrated SQLite database in a directory, Doorman wired on it, and the provisioning service as Main wires it. */
final class ProvisioningHarness implements AutoCloseable {
    final MutableClock clock = MutableClock.at(Instant.parse("2025-03-01T09:00:00Z"));
    final Database db;
    final Doorman doorman;
    final ProvisioningService provisioning;

    private ProvisioningHarness(Path dir) {
        db = Database.open(DbSettings.embedded(dir));
        db.migrate();
        doorman = Doorman.builder(DoormanSettings.dev(URI.create("http://localhost:8080")), db).clock(clock).build();
        provisioning = new ProvisioningService(doorman.users(), doorman.roles(), doorman.passwordHasher(), doorman.passwordPolicy(),
                doorman.accounts(), doorman.clientStore(), doorman.database(), new AuditLog(doorman.auditTrail(), clock), clock);
    }

    static ProvisioningHarness open(Path dir) {
        return new ProvisioningHarness(dir);
    }

    List<AuditType> auditTypes() {
        return doorman.auditTrail().recent(1000).stream().map(AuditEvent::type).toList();
    }

    int sessionCount() {
        return db.jdbi().withHandle(h -> h.createQuery("select count(*) from sessions").mapTo(Integer.class).one());
    }

    /** A session row as a login would leave it (the session service is not reachable from here). */
    void insertSession(UserId user) {
        long now = clock.millis();
        db.jdbi().useHandle(h -> h.createUpdate("insert into sessions (id, token_hash, user_id, created_at, last_seen_at, expires_at, auth_time, ip, user_agent) "
                        + "values (:id, :hash, :user, :now, :now, :later, :now, '127.0.0.1', 'test')")
                .bind("id", UUID.randomUUID().toString())
                .bind("hash", "a".repeat(64))
                .bind("user", user.toString())
                .bind("now", now)
                .bind("later", now + 3_600_000)
                .execute());
    }

    @Override
    public void close() {
        doorman.close();
        db.close();
    }
}
