package dev.doorman.server;

import dev.doorman.account.DisplayNames;
import dev.doorman.account.Email;
import dev.doorman.account.Password;
import dev.doorman.account.User;
import dev.doorman.provisioning.CreateUserOutcome;
import dev.doorman.provisioning.NewUser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code doorman user create|list|disable}: the operator's account commands. */
@Command(name = "user", description = "Create, list and disable accounts.")
final class UserCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private final CliContext cli;

    UserCommand(CliContext cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(cli.err());
        return Main.EXIT_USAGE;
    }

    @Command(name = "create", description = {"Create an account.",
            "The password is read from standard input (one line), or prompted for without echo on a terminal; "
                    + "never from the command line. It must satisfy the password policy."})
    static final class Create implements Callable<Integer> {
        @Mixin
        ConfigOption config = new ConfigOption();
        @Spec
        CommandSpec spec;

        @Option(names = "--email", required = true, paramLabel = "EMAIL", description = "The account's e-mail address.")
        String email;
        @Option(names = "--name", paramLabel = "NAME", description = "Display name.")
        String name;
        @Option(names = "--verified", description = "Mark the e-mail address as verified (no verification mail).")
        boolean verified;
        @Option(names = "--role", paramLabel = "ROLE", description = "A role to grant (repeatable); it must exist.")
        List<String> roles = new ArrayList<>();
        @Option(names = "--password-stdin", description = "Read the password from standard input even on a terminal.")
        boolean passwordStdin;

        private final CliContext cli;

        Create(CliContext cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            Email address = Email.parse(email).orElseThrow(() ->
                    new ParameterException(spec.commandLine(), "--email: \"" + email + "\" is not a valid e-mail address"));
            Optional<String> displayName;
            try {
                displayName = DisplayNames.parse(name);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--name: " + e.getMessage());
            }
            ServerConfig cfg = config.load(cli);
            Password password = readPassword(address);
            try (var instance = DoormanInstance.open(cfg, cli.clock())) {
                var outcome = instance.provisioning().createUser(
                        new NewUser(address, displayName, password, verified, new LinkedHashSet<>(roles)), CliContext.actor("user create"));
                switch (outcome) {
                    case CreateUserOutcome.Created c -> cli.out().println("created user " + c.user().email() + " (id " + c.user().id()
                            + (c.user().emailVerified() ? ", verified" : ", not verified")
                            + (c.roles().isEmpty() ? "" : ", roles " + String.join(", ", c.roles())) + ")");
                    case CreateUserOutcome.EmailTaken t -> throw CommandFailure.failed("a user with e-mail " + t.email() + " already exists");
                    case CreateUserOutcome.PasswordRejected r -> throw CommandFailure.failed("password rejected: " + r.violation().message());
                    case CreateUserOutcome.UnknownRoles u -> throw CommandFailure.failed("no such role: " + String.join(", ", u.roles())
                            + " (define roles with an import file: doorman import FILE)");
                }
            }
            return Main.EXIT_OK;
        }

        private Password readPassword(Email address) {
            if (!passwordStdin && cli.console().isPresent()) {
                var console = cli.console().get();
                char[] first = console.readPassword("Password for %s: ", address);
                char[] second = first == null ? null : console.readPassword("Repeat the password: ");
                try {
                    if (first == null || second == null || first.length == 0) throw CommandFailure.failed("no password given");
                    if (!Arrays.equals(first, second)) throw CommandFailure.failed("the passwords do not match");
                    return new Password(new String(first));
                } finally {
                    if (first != null) Arrays.fill(first, '\0');
                    if (second != null) Arrays.fill(second, '\0');
                }
            }
            try {
                String line = new BufferedReader(new InputStreamReader(cli.in(), StandardCharsets.UTF_8)).readLine();
                if (line == null || line.isEmpty()) throw CommandFailure.failed("no password on standard input (pipe it in, e.g. from a secret file)");
                return new Password(line);
            } catch (IOException e) {
                throw CommandFailure.failed("cannot read the password from standard input: " + e.getMessage());
            }
        }
    }

    @Command(name = "list", description = "List every account: id, e-mail, verified, disabled, roles.")
    static final class ListUsers implements Callable<Integer> {
        private static final int PAGE = 500;

        @Mixin
        ConfigOption config = new ConfigOption();

        private final CliContext cli;

        ListUsers(CliContext cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            ServerConfig cfg = config.load(cli);
            var rows = new ArrayList<List<String>>();
            rows.add(List.of("ID", "EMAIL", "VERIFIED", "DISABLED", "ROLES"));
            try (var instance = DoormanInstance.open(cfg, cli.clock())) {
                var doorman = instance.doorman();
                for (int offset = 0; ; offset += PAGE) {
                    List<User> page = doorman.users().list(offset, PAGE);
                    for (User u : page) {
                        rows.add(List.of(u.id().toString(), u.email().value(), yesNo(u.emailVerified()), yesNo(u.disabled()),
                                String.join(",", doorman.roles().rolesOf(u.id()))));
                    }
                    if (page.size() < PAGE) break;
                }
            }
            if (rows.size() == 1) {
                cli.out().println("no users");
                return Main.EXIT_OK;
            }
            Table.print(cli.out(), rows);
            return Main.EXIT_OK;
        }

        private static String yesNo(boolean b) {
            return b ? "yes" : "no";
        }
    }

    @Command(name = "disable", description = "Disable an account: it can no longer log in, and every session of it ends now.")
    static final class Disable implements Callable<Integer> {
        @Mixin
        ConfigOption config = new ConfigOption();
        @Spec
        CommandSpec spec;

        @Option(names = "--email", required = true, paramLabel = "EMAIL", description = "The account's e-mail address.")
        String email;

        private final CliContext cli;

        Disable(CliContext cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            Email address = Email.parse(email).orElseThrow(() ->
                    new ParameterException(spec.commandLine(), "--email: \"" + email + "\" is not a valid e-mail address"));
            ServerConfig cfg = config.load(cli);
            try (var instance = DoormanInstance.open(cfg, cli.clock())) {
                var doorman = instance.doorman();
                User user = doorman.users().findByEmail(address).orElseThrow(() -> CommandFailure.failed("no user with e-mail " + address));
                doorman.accounts().disable(user.id(), CliContext.actor("user disable"));
                cli.out().println("disabled " + address + (user.disabled() ? " (it was already disabled)" : "") + "; every session of it has ended");
            }
            return Main.EXIT_OK;
        }
    }
}
