package dev.doorman.server;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code doorman role bind|unbind|bindings} against a data directory, with a policy file from the environment. */
class RoleCommandTest {
    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    Path dir;
    private Cli cli;

    @BeforeEach
    void setUp() throws IOException {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), """
                version: 1
                roles:
                  viewer: {permissions: [note:read]}
                  manager: {inherits: [viewer], permissions: ["project:*"]}
                """);
        cli = new Cli(dir.resolve("data")).env("DOORMAN_POLICY_FILE", policy.toString());
        var created = cli.runWithInput(PASSWORD + "\n", "user", "create", "--email", "ada@example.org", "--verified");
        assertThat(created.exitCode()).as(created.err()).isZero();
    }

    @Test
    void roleBindWhenUserByEmailThenListedAndUnbindRemovesIt() {
        var bind = cli.run("role", "bind", "--subject", "ada@example.org", "--role", "manager", "--on", "project/42");
        assertThat(bind.exitCode()).as(bind.err()).isZero();
        assertThat(bind.out()).matches("bound manager for [0-9a-f-]{36} on project/42\\n");
        assertThat(cli.run("role", "bind", "--subject", "ada@example.org", "--role", "manager", "--on", "project/42").out()).startsWith("already bound: ");
        assertThat(cli.run("role", "bind", "--subject", "ada@example.org", "--role", "viewer").exitCode()).isZero();

        var list = cli.run("role", "bindings", "--subject", "ada@example.org");
        assertThat(list.exitCode()).as(list.err()).isZero();
        var lines = list.out().lines().toList();
        assertThat(lines.getFirst()).matches("SUBJECT +ROLE +ON +CREATED");
        assertThat(lines.subList(1, lines.size())).satisfiesExactly(
                l -> assertThat(l).matches("[0-9a-f-]{36} +manager +project/42 +\\S+Z"),
                l -> assertThat(l).matches("[0-9a-f-]{36} +viewer +\\* +\\S+Z"));

        var unbind = cli.run("role", "unbind", "--subject", "ada@example.org", "--role", "manager", "--on", "project/42");
        assertThat(unbind.exitCode()).as(unbind.err()).isZero();
        assertThat(unbind.out()).startsWith("unbound manager for ");
        var again = cli.run("role", "unbind", "--subject", "ada@example.org", "--role", "manager", "--on", "project/42");
        assertThat(again.exitCode()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(again.err()).startsWith("doorman: no such binding: manager for ");
        assertThat(cli.run("role", "bindings").out().lines().count()).isEqualTo(2);
    }

    @Test
    void roleBindWhenRoleNotInThePolicyOrSubjectUnknownThenRefusedAndNothingStored() {
        var role = cli.run("role", "bind", "--subject", "ada@example.org", "--role", "admin");
        assertThat(role.exitCode()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(role.err()).isEqualTo("doorman: binding refused: the policy defines no role \"admin\" (roles: manager, viewer)\n");
        var subject = cli.run("role", "bind", "--subject", "no-such-client", "--role", "viewer");
        assertThat(subject.exitCode()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(subject.err()).contains("no user or client has the id \"no-such-client\"");
        var email = cli.run("role", "bind", "--subject", "bob@example.org", "--role", "viewer");
        assertThat(email.err()).isEqualTo("doorman: no account has the e-mail address bob@example.org\n");
        var scope = cli.run("role", "bind", "--subject", "ada@example.org", "--role", "viewer", "--on", "project");
        assertThat(scope.err()).contains("a resource is written type/id");
        assertThat(cli.run("role", "bindings").out().lines().count()).isEqualTo(1);
    }

    @Test
    void roleBindWhenPolicyFileInvalidThenConfigurationErrorWithLines() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "version: 1\nroles:\n  a: {inherits: [ghost]}\n");
        var run = cli.env("DOORMAN_POLICY_FILE", bad.toString()).run("role", "bindings");
        assertThat(run.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(run.err()).contains("DOORMAN_POLICY_FILE: invalid policy " + bad).contains("line 3:18: role 'a' inherits the undefined role 'ghost'");
    }
}
