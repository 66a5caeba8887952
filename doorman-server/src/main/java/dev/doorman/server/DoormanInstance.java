package dev.doorman.server;

import dev.doorman.Doorman;
import dev.doorman.audit.AuditLog;
import dev.doorman.db.Database;
import dev.doorman.provisioning.ProvisioningService;

import java.time.Clock;
import java.util.List;

/**
 * An open, migrated database and the Doorman core built on it: what {@code serve} runs and what the operator's
 * commands work on. Closing it lets queued mail go out, then closes the pool.
 */
final class DoormanInstance implements AutoCloseable {
    private final Database database;
    private final Doorman doorman;
    private final Clock clock;
    private final int migrationsApplied;

    private DoormanInstance(Database database, Doorman doorman, Clock clock, int migrationsApplied) {
        this.database = database;
        this.doorman = doorman;
        this.clock = clock;
        this.migrationsApplied = migrationsApplied;
    }

    /**
     * Refuses an insecure production configuration before touching the database, then opens, migrates and builds.
     *
     * @throws CommandFailure (exit 2) listing what production mode refuses
     */
    static DoormanInstance open(ServerConfig config, Clock clock) {
        refuseInsecureProduction(config);
        Database database = Database.open(config.database());
        try {
            int applied = database.migrate();
            var builder = Doorman.builder(config.doorman(), database).clock(clock);
            config.policy().ifPresent(builder::policy);
            Doorman doorman = builder.build();
            return new DoormanInstance(database, doorman, clock, applied);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    static void refuseInsecureProduction(ServerConfig config) {
        List<String> problems = config.doorman().insecureForProduction();
        if (!problems.isEmpty())
            throw CommandFailure.refused("refusing to start in production mode:\n  - " + String.join("\n  - ", problems));
    }

    Doorman doorman() {
        return doorman;
    }

    int migrationsApplied() {
        return migrationsApplied;
    }

    ProvisioningService provisioning() {
        return new ProvisioningService(doorman.users(), doorman.roles(), doorman.passwordHasher(), doorman.passwordPolicy(),
                doorman.accounts(), doorman.clientStore(), database, new AuditLog(doorman.auditTrail(), clock), clock);
    }

    @Override
    public void close() {
        try {
            doorman.close();
        } finally {
            database.close();
        }
    }
}
