package dev.doorman.server;

import dev.doorman.provisioning.ImportFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * The composition root of the standalone server and its command line. Only here are the process's environment,
 * streams, console, clock and shutdown hooks read; everything else gets them from {@link CliContext}.
 *
 * <p>Exit codes: 0 success, 1 a run-time failure, 2 a usage or configuration error. Errors are one clear line on
 * standard error; {@code DOORMAN_DEBUG=1} adds the stack trace. Logs (including the audit trail's JSON lines) go to
 * standard error too, so that standard output carries only what a command produces (an export, a table).
 */
public final class Main {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    private final CliContext cli;

    public Main(CliContext cli) {
        this.cli = cli;
    }

    public static void main(String[] args) {
        var cli = new CliContext(System.getenv(), System.in, System.out, System.err, interactiveConsole(),
                ShutdownHooks.jvm(), Clock.systemUTC());
        System.exit(new Main(cli).run(args));
    }

    /** Runs one command line; returns the exit code. */
    public int run(String... args) {
        var commandLine = commandLine();
        commandLine.setOut(new PrintWriter(cli.out(), true));
        commandLine.setErr(new PrintWriter(cli.err(), true));
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> failure(e));
        return commandLine.execute(args);
    }

    /** The command tree, each command built with the context it needs. */
    CommandLine commandLine() {
        var user = new CommandLine(new UserCommand(cli))
                .addSubcommand(new UserCommand.Create(cli))
                .addSubcommand(new UserCommand.ListUsers(cli))
                .addSubcommand(new UserCommand.Disable(cli));
        var keys = new CommandLine(new KeysCommand(cli))
                .addSubcommand(new KeysCommand.Rotate(cli))
                .addSubcommand(new KeysCommand.ListKeys(cli));
        var client = new CommandLine(new ClientCommand(cli))
                .addSubcommand(new ClientCommand.Create(cli))
                .addSubcommand(new ClientCommand.ListClients(cli))
                .addSubcommand(new ClientCommand.RotateSecret(cli))
                .addSubcommand(new ClientCommand.Delete(cli));
        var policy = new CommandLine(new PolicyCommand(cli))
                .addSubcommand(new PolicyCommand.Check(cli))
                .addSubcommand(new PolicyCommand.Test(cli));
        var role = new CommandLine(new RoleCommand(cli))
                .addSubcommand(new RoleCommand.Bind(cli))
                .addSubcommand(new RoleCommand.Unbind(cli))
                .addSubcommand(new RoleCommand.ListBindings(cli));
        var audit = new CommandLine(new AuditCommand(cli))
                .addSubcommand(new AuditCommand.ListRecords(cli))
                .addSubcommand(new AuditCommand.Tail(cli))
                .addSubcommand(new AuditCommand.Verify(cli))
                .addSubcommand(new AuditCommand.Prune(cli));
        return new CommandLine(new Root(cli))
                .addSubcommand(new ServeCommand(cli))
                .addSubcommand(new MigrateCommand(cli))
                .addSubcommand("user", user)
                .addSubcommand("keys", keys)
                .addSubcommand("client", client)
                .addSubcommand("policy", policy)
                .addSubcommand("role", role)
                .addSubcommand("audit", audit)
                .addSubcommand(new ImportCommand(cli))
                .addSubcommand(new ExportCommand(cli));
    }

    private int failure(Exception e) {
        int code;
        String message;
        switch (e) {
            case ConfigException c -> {
                code = EXIT_USAGE;
                message = "configuration error: " + c.getMessage();
            }
            case CommandFailure f -> {
                code = f.exitCode();
                message = f.getMessage();
            }
            case ImportFileException i -> {
                code = EXIT_FAILURE;
                message = "import refused, nothing was written: " + i.getMessage();
            }
            default -> {
                code = EXIT_FAILURE;
                message = describe(e);
            }
        }
        cli.err().println("doorman: " + message);
        if (cli.debug()) e.printStackTrace(cli.err());
        else if (code == EXIT_FAILURE && !(e instanceof CommandFailure) && !(e instanceof ImportFileException))
            cli.err().println("(set DOORMAN_DEBUG=1 for the stack trace)");
        return code;
    }

    /** One line: the failure, and its root cause when that says something more. */
    static String describe(Throwable e) {
        String top = firstLine(e);
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String cause = firstLine(root);
        return root == e || top.contains(cause) ? top : top + ": " + cause;
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) return e.getClass().getSimpleName();
        m = m.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).strip();
    }

    static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** A terminal to prompt on, or empty when input or output is redirected. */
    private static Optional<Console> interactiveConsole() {
        Console console = System.console();
        if (console == null) return Optional.empty();
        try {
            // JDK 22+ has a console even when redirected; isTerminal() tells. On 21, a console means a terminal.
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console) ? Optional.of(console) : Optional.empty();
        } catch (NoSuchMethodException e) {
            return Optional.of(console);
        } catch (ReflectiveOperationException e) {
            return Optional.empty();
        }
    }

    @Command(name = "doorman", mixinStandardHelpOptions = true, versionProvider = Root.Version.class,
            description = "Doorman: authentication server. Configure with --config FILE and DOORMAN_* environment variables.")
    static final class Root implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        private final CliContext cli;

        Root(CliContext cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            spec.commandLine().usage(cli.err());
            return EXIT_USAGE;
        }

        static final class Version implements CommandLine.IVersionProvider {
            @Override
            public String[] getVersion() throws IOException {
                var props = new Properties();
                try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                    if (in != null) props.load(in);
                }
                return new String[]{"Doorman " + props.getProperty("version", "(development build)")};
            }
        }
    }
}
