package dev.doorman.server;

import dev.doorman.support.ClientInfo;

import java.io.Console;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the commands may touch of the outside world, handed in by {@link Main} so that tests can run every command
 * in-process with their own environment, streams and shutdown hooks.
 *
 * @param console an interactive terminal to prompt for passwords without echo; empty when input is piped
 */
public record CliContext(Map<String, String> env, InputStream in, PrintStream out, PrintStream err, Optional<Console> console,
                         ShutdownHooks shutdownHooks, Clock clock) {
    public CliContext {
        env = Map.copyOf(env);
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        Objects.requireNonNull(console, "console");
        Objects.requireNonNull(shutdownHooks, "shutdownHooks");
        Objects.requireNonNull(clock, "clock");
    }

    /** {@code DOORMAN_DEBUG=1}: errors come with their stack trace. */
    public boolean debug() {
        String v = env.getOrDefault("DOORMAN_DEBUG", "");
        return v.equals("1") || v.equalsIgnoreCase("true");
    }

    /** How an operator's CLI action appears in the audit trail. */
    static ClientInfo actor(String command) {
        return new ClientInfo("", "doorman-cli " + command);
    }
}
