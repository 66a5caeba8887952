package dev.doorman.server;

import io.javalin.Javalin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", description = "Run the Doorman server until it is stopped (SIGTERM or Ctrl-C stop it gracefully).")
final class ServeCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config = new ConfigOption();

    private final CliContext cli;

    ServeCommand(CliContext cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws InterruptedException {
        ServerConfig cfg = config.load(cli);
        DoormanInstance instance = DoormanInstance.open(cfg, cli.clock());
        Javalin app;
        try {
            app = instance.doorman().createServer().start(cfg.http().host(), cfg.http().port());
        } catch (RuntimeException e) {
            instance.close();
            throw CommandFailure.failed("cannot listen on " + cfg.listenAddress() + ": " + Main.describe(e));
        }
        Optional<Javalin> management;
        try {
            management = instance.doorman().createManagementServer()
                    .map(m -> m.start(cfg.doorman().observability().metrics().managementHost(), cfg.doorman().observability().metrics().managementPort()));
        } catch (RuntimeException e) {
            app.stop();
            instance.close();
            var metrics = cfg.doorman().observability().metrics();
            throw CommandFailure.failed("cannot listen for metrics on " + metrics.managementHost() + ":" + metrics.managementPort() + ": " + Main.describe(e));
        }
        var stopped = new CountDownLatch(1);
        cli.shutdownHooks().onShutdown(() -> {
            try {
                management.ifPresent(Javalin::stop);
                app.stop();
            } finally {
                try {
                    instance.close();
                    cli.out().println("Doorman stopped");
                } finally {
                    stopped.countDown();
                }
            }
        });
        cli.out().println("Doorman is running at " + cfg.doorman().baseUrl() + " (" + cfg.doorman().mode().name().toLowerCase(java.util.Locale.ROOT)
                + " mode, " + cfg.databaseDescription() + ", listening on " + cfg.listenAddress()
                + management.map(m -> ", metrics on " + cfg.doorman().observability().metrics().managementHost() + ":" + m.port()).orElse("")
                + (instance.migrationsApplied() > 0 ? ", " + Main.plural(instance.migrationsApplied(), "migration") + " applied" : "") + ")");
        stopped.await();
        return Main.EXIT_OK;
    }
}
