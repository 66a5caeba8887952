package dev.doorman.server;

import dev.doorman.authz.Policy;
import dev.doorman.authz.PolicyException;
import dev.doorman.authz.PolicyTests;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code doorman policy check|test FILE}: validate an authorization policy file and run the tests it carries. */
@Command(name = "policy", description = "Check authorization policy files and run their test cases.")
final class PolicyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private final CliContext cli;

    PolicyCommand(CliContext cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(cli.err());
        return Main.EXIT_USAGE;
    }

    /** Loads the file; an invalid one becomes a failure listing every problem with its line (exit 2). */
    static Policy load(Path file) {
        try {
            return Policy.load(file);
        } catch (PolicyException e) {
            throw CommandFailure.refused(e.getMessage());
        } catch (NoSuchFileException e) {
            throw CommandFailure.refused("policy file " + file + ": not found");
        } catch (IOException e) {
            throw CommandFailure.refused("policy file " + file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    @Command(name = "check", description = "Validate a policy file: syntax, unknown keys, roles, inheritance cycles and CEL conditions.")
    static final class Check implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "the policy file (YAML)")
        Path file;

        private final CliContext cli;

        Check(CliContext cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            Policy policy = load(file);
            cli.out().println(file + ": valid (" + Main.plural(policy.roles().size(), "role") + ", "
                    + Main.plural(policy.denyRules().size() + policy.allowRules().size(), "rule") + ", "
                    + Main.plural(policy.tests().size(), "test") + ")");
            return Main.EXIT_OK;
        }
    }

    @Command(name = "test", description = {"Validate a policy file and run the test cases it carries.",
            "Exit code 0 when every case passes, 1 when one fails (each failure is shown with the decision's explanation), "
                    + "2 when the file is invalid."})
    static final class Test implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "the policy file (YAML)")
        Path file;

        private final CliContext cli;

        Test(CliContext cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            Policy policy = load(file);
            if (policy.tests().isEmpty()) {
                cli.out().println(file + ": valid, but it has no tests");
                return Main.EXIT_OK;
            }
            PolicyTests.Report report = PolicyTests.run(policy, cli.clock());
            cli.out().print(report.render());
            return report.passed() ? Main.EXIT_OK : Main.EXIT_FAILURE;
        }
    }
}
