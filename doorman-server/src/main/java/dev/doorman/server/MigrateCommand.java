package dev.doorman.server;

import dev.doorman.db.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

@Command(name = "migrate", description = "Apply pending database migrations and exit (serve also does this on start).")
final class MigrateCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config = new ConfigOption();

    private final CliContext cli;

    MigrateCommand(CliContext cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        ServerConfig cfg = config.load(cli);
        try (Database database = Database.open(cfg.database())) {
            int applied = database.migrate();
            cli.out().println(applied == 0 ? "the database is up to date (" + cfg.databaseDescription() + ")"
                    : "applied " + Main.plural(applied, "migration") + " (" + cfg.databaseDescription() + ")");
        }
        return Main.EXIT_OK;
    }
}
