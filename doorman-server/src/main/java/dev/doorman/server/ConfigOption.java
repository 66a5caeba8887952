package dev.doorman.server;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Optional;

/** {@code --config FILE}, shared by every command that needs the configuration. */
final class ConfigOption {
    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML configuration file (optional). DOORMAN_* environment variables override it.")
    Path file;

    /** Loads and validates the configuration; warnings go to standard error. */
    ServerConfig load(CliContext cli) {
        ServerConfig config = ServerConfig.load(Optional.ofNullable(file), cli.env());
        config.warnings().forEach(w -> cli.err().println("warning: " + w));
        return config;
    }
}
