package dev.doorman.server;

import dev.doorman.provisioning.ImportFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;

@Command(name = "export", description = {
        "Write every role, user and OAuth client as a provisioning file (passwords as Argon2id hashes, never in plain text;",
        "client secrets not at all: only their hash is kept).",
        "Importing it into an empty database reproduces the accounts; into the same one, it changes nothing."})
final class ExportCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config = new ConfigOption();

    @Parameters(paramLabel = "FILE", arity = "0..1", defaultValue = "-",
            description = "Where to write it (created readable by its owner only), or - for standard output (the default).")
    String file;

    private final CliContext cli;

    ExportCommand(CliContext cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        ServerConfig cfg = config.load(cli);
        ImportFile exported;
        try (var instance = DoormanInstance.open(cfg, cli.clock())) {
            exported = instance.provisioning().export();
        }
        String json = exported.toJson();
        if (file.equals("-")) {
            cli.out().print(json);
            cli.out().flush();
        } else {
            write(Path.of(file), json);
            cli.err().println("exported " + Main.plural(exported.roles().size(), "role") + ", "
                    + Main.plural(exported.users().size(), "user") + " and " + Main.plural(exported.clients().size(), "client") + " to " + file);
        }
        return Main.EXIT_OK;
    }

    /** Writes beside the target and moves into place, so the file holding the hashes is never world-readable. */
    private static void write(Path target, String json) {
        Path dir = target.toAbsolutePath().getParent();
        try {
            Path tmp = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                    ? Files.createTempFile(dir, ".doorman-export", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(dir, ".doorman-export", ".tmp");
            try {
                Files.writeString(tmp, json, StandardCharsets.UTF_8);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw CommandFailure.failed(target + ": cannot be written (" + e.getMessage() + ")");
        }
    }
}
