package dev.doorman.examples.notes;

import dev.doorman.authz.Policy;
import dev.doorman.authz.PolicyTests;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped policy file passes its own test cases, as {@code bin/doorman policy test} runs them (PolicyTests). */
class NotesPolicyTest {
    @Test
    void shippedPolicyWhenItsTestsRunThenEveryCasePasses() {
        Policy policy = NotesApp.policy(new NotesSettings(0, java.net.URI.create("http://localhost"), Path.of("unused"), Optional.empty()));
        var report = PolicyTests.run(policy, Clock.systemUTC());
        assertThat(report.results()).hasSizeGreaterThanOrEqualTo(10);
        assertThat(report.passed()).as(report.render()).isTrue();
    }

    @Test
    void policyFileWhenTheSourceFileIsLoadedThenItIsTheSameValidFile() throws Exception {
        Path file = Path.of("src/main/resources" + NotesApp.BUNDLED_POLICY);
        var report = PolicyTests.run(Policy.load(file), Clock.systemUTC());
        assertThat(report.passed()).as(report.render()).isTrue();
    }
}
