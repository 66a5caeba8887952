package dev.doorman.server;

import dev.doorman.provisioning.ImportFile;
import dev.doorman.provisioning.ImportPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "import", description = {
        "Create or update the roles, users and OAuth clients a JSON provisioning file lists, in one transaction.",
        "What the file does not name is left alone. Importing the same file again changes nothing."})
final class ImportCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config = new ConfigOption();

    @Option(names = "--plan", description = "Only show what would change; write nothing.")
    boolean planOnly;

    @Parameters(paramLabel = "FILE", description = "The provisioning file, or - for standard input.")
    String file;

    private final CliContext cli;

    ImportCommand(CliContext cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        ServerConfig cfg = config.load(cli);
        ImportFile parsed = ImportFile.parse(read());
        try (var instance = DoormanInstance.open(cfg, cli.clock())) {
            var provisioning = instance.provisioning();
            ImportPlan plan = provisioning.plan(parsed);
            if (plan.isEmpty()) {
                cli.out().println("no changes: the database already matches " + name());
                return Main.EXIT_OK;
            }
            plan.describe().forEach(line -> cli.out().println("  " + line));
            if (planOnly) {
                cli.out().println("plan: " + plan.summary() + " (nothing written; run without --plan to apply)");
            } else {
                provisioning.apply(plan, CliContext.actor("import"));
                cli.out().println("applied: " + plan.summary());
            }
        }
        return Main.EXIT_OK;
    }

    private String read() {
        try {
            if (file.equals("-")) return new String(cli.in().readAllBytes(), StandardCharsets.UTF_8);
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw CommandFailure.failed(file + ": no such file");
        } catch (IOException e) {
            throw CommandFailure.failed(name() + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    private String name() {
        return file.equals("-") ? "standard input" : file;
    }
}
