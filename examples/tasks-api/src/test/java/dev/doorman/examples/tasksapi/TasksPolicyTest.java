package dev.doorman.examples.tasksapi;

import dev.doorman.authz.Policy;
import dev.doorman.authz.PolicyTests;
import dev.doorman.server.CliContext;
import dev.doorman.server.Main;
import dev.doorman.server.ShutdownHooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The policy shipped with the API carries its own tests, and the operator's {@code doorman policy test} passes on it. */
class TasksPolicyTest {
    static final Path POLICY = Path.of("src/main/resources/tasks-policy.yaml");

    @Test
    void doormanPolicyTestPassesOnTheShippedPolicy() {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var cli = new CliContext(Map.of(), InputStream.nullInputStream(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Optional.empty(), ShutdownHooks.jvm(), Clock.systemUTC());
        int exit = new Main(cli).run("policy", "test", POLICY.toString());
        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(report + err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(report).contains("0 failed").doesNotContain("FAIL ");
    }

    @Test
    void startWhenThePolicysOwnTestsFailOrARoleIsMissingThenRefused(@TempDir Path dir) throws Exception {
        // The shipped file with its worker able to assign tasks: its own test case "a worker does not assign tasks" fails.
        String loosened = Files.readString(POLICY).replace("permissions: [project:read, task:read]", "permissions: [project:read, task:read, task:assign]");
        Path file = Files.writeString(dir.resolve("loosened.yaml"), loosened);
        assertThatThrownBy(() -> Access.loadPolicy(Optional.of(file), Clock.systemUTC()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("a worker does not assign tasks");

        Policy withoutManagers = Policy.parse("""
                version: 1
                roles:
                  worker: {permissions: [project:read, task:read]}
                  admin: {permissions: ["*"]}
                """, "no-managers.yaml");
        assertThatThrownBy(() -> new Access(withoutManagers, null, "tasks:admin", Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'manager'");
    }

    @Test
    void thePolicyCoversEveryRoleAndTheBundledCopyIsTheSameFile() throws Exception {
        Policy policy = Policy.load(POLICY);
        assertThat(policy.roles()).containsOnlyKeys("admin", "manager", "worker");
        var report = PolicyTests.run(policy, Clock.systemUTC());
        assertThat(report.passed()).as(report.render()).isTrue();
        assertThat(policy.tests()).hasSizeGreaterThanOrEqualTo(20);
        // What the jar loads when TASKS_API_POLICY_FILE is not set.
        Policy bundled = Access.loadPolicy(Optional.empty(), Clock.systemUTC());
        assertThat(bundled.tests()).hasSameSizeAs(policy.tests());
    }
}
