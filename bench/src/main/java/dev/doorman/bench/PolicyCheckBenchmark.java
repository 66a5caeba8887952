package dev.doorman.bench;

import dev.doorman.authz.AccessRequest;
import dev.doorman.authz.Action;
import dev.doorman.authz.Authorizer;
import dev.doorman.authz.Decision;
import dev.doorman.authz.Policy;
import dev.doorman.authz.PolicyException;
import dev.doorman.authz.Resource;
import dev.doorman.authz.ResourceRef;
import dev.doorman.authz.RoleBinding;
import dev.doorman.authz.RoleBindingSource;
import dev.doorman.authz.Subject;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One in-process policy check (RBAC and one CEL condition): an editor, whose role inherits viewer and who also holds
 * a role bound on another project, updates her own note. The engine resolves roles and inheritance, evaluates one
 * deny rule's condition (false), finds no role permission, then evaluates the allow rule's condition (true).
 * Bindings come from memory, so this is the engine's own cost (the server adds one indexed query).
 * Sample time gives the median and p99; on 1 and 2 threads.
 * Run: {@code java -jar bench/target/benchmarks.jar PolicyCheckBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class PolicyCheckBenchmark {
    static final String POLICY = """
            version: 1
            roles:
              viewer: {permissions: [note:read]}
              editor: {inherits: [viewer], permissions: [note:create]}
              manager: {inherits: [editor], permissions: ["project:*"]}
            rules:
              - name: archived-notes-are-read-only
                effect: deny
                actions: [note:update, note:delete]
                condition: resource.archived == true
              - name: editors-update-their-notes
                effect: allow
                actions: [note:update]
                roles: [editor]
                condition: resource.ownerId == subject.id
            """;

    private Authorizer authorizer;
    private AccessRequest request;

    @Setup
    public void setUp() throws PolicyException {
        Policy policy = Policy.parse(POLICY, "bench");
        RoleBindingSource bindings = RoleBindingSource.of(List.of(RoleBinding.on("ada", "manager", new ResourceRef("project", "7"))));
        authorizer = new Authorizer(policy, bindings, Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC));
        Subject ada = new Subject("ada", Subject.Kind.USER, Set.of("editor"), Set.of(), Map.of("department", "eng"),
                Optional.of(Instant.parse("2026-11-28T09:58:00Z")), Set.of("pwd"));
        request = new AccessRequest(ada, Action.parse("note:update"),
                Resource.of("note", "n1", Map.of("ownerId", "ada", "archived", false)).within(new ResourceRef("project", "42")), Map.of());
        Decision d = authorizer.decide(request);
        if (!d.allowed()) throw new IllegalStateException("the benchmark request must be allowed: " + d.reason().describe());
    }

    @Benchmark
    @Threads(1)
    public Decision check1Thread() {
        return authorizer.decide(request);
    }

    @Benchmark
    @Threads(2)
    public Decision check2Threads() {
        return authorizer.decide(request);
    }
}
