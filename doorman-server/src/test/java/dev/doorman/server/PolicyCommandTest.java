package dev.doorman.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code doorman policy check|test FILE}: no database needed, only the file. */
class PolicyCommandTest {
    static final String PASSING = """
            version: 1
            roles:
              viewer: {permissions: [note:read]}
            rules:
              - name: owners-update
                effect: allow
                actions: [note:update]
                condition: resource.ownerId == subject.id
            tests:
              - name: viewer reads
                subject: {id: ada, roles: [viewer]}
                action: note:read
                resource: {type: note, id: n1}
                expect: allow
              - name: owner updates
                subject: {id: ada}
                action: note:update
                resource: {type: note, id: n1, attrs: {ownerId: ada}}
                expect: allow
                because: owners-update
            """;

    @TempDir
    Path dir;

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private Cli cli() {
        return new Cli(dir.resolve("data"));
    }

    @Test
    void policyTestWhenEveryCasePassesThenExit0AndOneLinePerCase() throws IOException {
        Path policy = file("policy.yaml", PASSING);
        var run = cli().run("policy", "test", policy.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("PASS viewer reads (line 10)\nPASS owner updates (line 15)\n2 passed, 0 failed (" + policy + ")\n");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void policyTestWhenACaseFailsThenExit1AndTheReportExplainsIt() throws IOException {
        Path policy = file("policy.yaml", PASSING.replace("attrs: {ownerId: ada}", "attrs: {ownerId: bob}"));
        var run = cli().run("policy", "test", policy.toString());
        assertThat(run.exitCode()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(run.out()).contains("PASS viewer reads (line 10)")
                .contains("FAIL owner updates (line 15)\n     expected allow, got deny\n")
                .contains("allow rule 'owners-update': condition `resource.ownerId == subject.id` is false: no effect")
                .endsWith("1 passed, 1 failed (" + policy + ")\n");
    }

    @Test
    void policyTestWhenFileIsInvalidThenExit2WithEachProblemAndItsLine() throws IOException {
        Path policy = file("bad.yaml", """
                version: 1
                roles:
                  editor: {inherits: [viewer], permisions: []}
                rules:
                  - {name: r, effect: allow, actions: [note:read], condition: "resource.ownerId =="}
                """);
        var run = cli().run("policy", "test", policy.toString());
        assertThat(run.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("doorman: invalid policy " + policy + ":\n")
                .contains("  line 3:23: role 'editor' inherits the undefined role 'viewer'\n")
                .contains("  line 3:32: unknown key 'permisions' in role 'editor' (allowed: description, inherits, permissions)\n")
                .contains("  line 5:")
                .contains("the condition of rule 'r' does not compile");
    }

    @Test
    void policyTestWhenFileIsMissingThenExit2() {
        var run = cli().run("policy", "test", dir.resolve("nope.yaml").toString());
        assertThat(run.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(run.err()).isEqualTo("doorman: policy file " + dir.resolve("nope.yaml") + ": not found\n");
    }

    @Test
    void policyCheckWhenValidThenSummarises() throws IOException {
        Path policy = file("policy.yaml", PASSING);
        var run = cli().run("policy", "check", policy.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo(policy + ": valid (1 role, 1 rule, 2 tests)\n");
    }

    @Test
    void policyCheckWhenInheritanceCyclesThenExit2NamingTheCycle() throws IOException {
        Path policy = file("cycle.yaml", "version: 1\nroles:\n  a: {inherits: [b]}\n  b: {inherits: [a]}\n");
        var run = cli().run("policy", "check", policy.toString());
        assertThat(run.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(run.err()).containsPattern("line \\d:\\d+: role inheritance cycle: (a -> b -> a|b -> a -> b)");
    }
}
