package dev.doorman.authz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class PolicyTestsTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void runWhenEveryCaseHoldsThenReportPasses() throws Exception {
        PolicyTests.Report report = PolicyTests.run(Policy.load(Path.of("src/test/resources/policies/example.yaml")), CLOCK);
        assertThat(report.render()).endsWith("14 passed, 0 failed (src/test/resources/policies/example.yaml)\n");
        assertThat(report.passed()).isTrue();
    }

    @Test
    void runWhenCasesFailThenReportNamesThemWithExpectedActualAndExplanation() throws Exception {
        Policy policy = Policy.parse("""
                version: 1
                roles:
                  viewer: {permissions: [note:read]}
                tests:
                  - name: viewer reads
                    subject: {id: ada, roles: [viewer]}
                    action: note:read
                    resource: {type: note, id: n1}
                    expect: allow
                  - name: viewer writes
                    subject: {id: ada, roles: [viewer]}
                    action: note:update
                    resource: {type: note, id: n1}
                    expect: allow
                  - name: wrong reason
                    subject: {id: ada, roles: [viewer]}
                    action: note:read
                    resource: {type: note, id: n1}
                    expect: allow
                    because: admin
                """, "p.yaml");
        PolicyTests.Report report = PolicyTests.run(policy, CLOCK);
        assertThat(report.passed()).isFalse();
        assertThat(report.failures()).isEqualTo(2);
        assertThat(report.render()).isEqualTo("""
                PASS viewer reads (line 5)
                FAIL viewer writes (line 10)
                     expected allow, got deny
                     denied: no role or allow rule grants note:update (roles in effect: viewer)
                       - role viewer: in effect (role viewer held by the subject)
                       - role viewer: no permission covers note:update
                       - decision: denied: no role or allow rule grants note:update (roles in effect: viewer)
                FAIL wrong reason (line 15)
                     expected the decision to come from 'admin', it came from 'viewer'
                     allowed: role viewer held by the subject grants note:read
                       - role viewer: in effect (role viewer held by the subject)
                       - role viewer: permission note:read covers note:read: allow
                       - decision: allowed: role viewer held by the subject grants note:read
                1 passed, 2 failed (p.yaml)
                """);
    }
}
