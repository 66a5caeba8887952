package dev.doorman.authz;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Runs the test cases a policy file carries; policies are tested like code. */
public final class PolicyTests {
    private PolicyTests() {}

    /** Runs every case; a case without {@code now} is decided at {@code clock}'s time. */
    public static Report run(Policy policy, Clock clock) {
        List<Result> results = new ArrayList<>();
        for (PolicyTest test : policy.tests()) {
            Clock at = test.now().map(now -> Clock.fixed(now, ZoneOffset.UTC)).orElse(clock);
            Decision decision = new Authorizer(policy, RoleBindingSource.of(test.bindings()), at).explain(test.request());
            String failure = null;
            if (decision.allowed() != test.expectAllowed()) {
                failure = "expected " + (test.expectAllowed() ? "allow" : "deny") + ", got " + (decision.allowed() ? "allow" : "deny");
            } else if (test.expectedSource().isPresent() && !test.expectedSource().equals(decision.reason().source())) {
                failure = "expected the decision to come from '" + test.expectedSource().get() + "', it came from "
                        + decision.reason().source().map(s -> "'" + s + "'").orElse("no role or rule");
            }
            results.add(new Result(test, decision, Optional.ofNullable(failure)));
        }
        return new Report(policy.source(), results);
    }

    public record Result(PolicyTest test, Decision decision, Optional<String> failure) {
        public boolean passed() {
            return failure.isEmpty();
        }
    }

    public record Report(String source, List<Result> results) {
        public Report {
            results = List.copyOf(results);
        }

        public boolean passed() {
            return results.stream().allMatch(Result::passed);
        }

        public long failures() {
            return results.stream().filter(r -> !r.passed()).count();
        }

        /** One line per case; a failing case is followed by its reason and the explanation. */
        public String render() {
            StringBuilder out = new StringBuilder();
            for (Result r : results) {
                out.append(r.passed() ? "PASS " : "FAIL ").append(r.test().name())
                        .append(" (line ").append(r.test().line()).append(")\n");
                if (!r.passed()) {
                    out.append("     ").append(r.failure().get()).append('\n');
                    out.append("     ").append(r.decision().reason().describe()).append('\n');
                    for (Decision.Step step : r.decision().explain()) out.append("       - ").append(step).append('\n');
                }
            }
            out.append(results.size() - failures()).append(" passed, ").append(failures()).append(" failed (").append(source).append(")\n");
            return out.toString();
        }
    }
}
