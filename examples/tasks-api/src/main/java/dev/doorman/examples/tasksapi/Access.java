package dev.doorman.examples.tasksapi;

import dev.doorman.authz.AccessRequest;
import dev.doorman.authz.Authorizer;
import dev.doorman.authz.Decision;
import dev.doorman.authz.Policy;
import dev.doorman.authz.PolicyException;
import dev.doorman.authz.PolicyTests;
import dev.doorman.authz.Resource;
import dev.doorman.authz.ResourceRef;
import dev.doorman.authz.RoleBinding;
import dev.doorman.authz.RoleBindingSource;
import dev.doorman.authz.Subject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where the policy engine meets this API: who the caller is to the policy (a verified token's subject, with only the
 * admin role taken from its {@code roles} claim) and which per-project roles they hold (the membership table).
 */
final class Access {
    private static final Logger LOG = LoggerFactory.getLogger(Access.class);
    static final String BUNDLED_POLICY = "tasks-policy.yaml";
    static final String ADMIN = "admin";

    private final Policy policy;
    private final ProjectStore projects;
    private final String adminRole;
    private final Clock clock;

    Access(Policy policy, ProjectStore projects, String adminRole, Clock clock) {
        for (String role : List.of(ADMIN, ProjectRole.WORKER.policyName(), ProjectRole.MANAGER.policyName())) {
            if (!policy.definesRole(role)) throw new IllegalArgumentException(policy.source() + " does not define the role '" + role + "'");
        }
        this.policy = policy;
        this.projects = projects;
        this.adminRole = adminRole;
        this.clock = clock;
    }

    /** The given policy file, or the one in the jar; refused when invalid or when one of its own tests fails. */
    static Policy loadPolicy(Optional<Path> file, Clock clock) throws IOException, PolicyException {
        Policy policy;
        if (file.isPresent()) {
            policy = Policy.load(file.get());
        } else {
            try (InputStream in = Access.class.getClassLoader().getResourceAsStream(BUNDLED_POLICY)) {
                if (in == null) throw new IOException(BUNDLED_POLICY + " is missing from the classpath");
                policy = Policy.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), BUNDLED_POLICY + " (bundled)");
            }
        }
        PolicyTests.Report report = PolicyTests.run(policy, clock);
        if (!report.passed()) throw new IllegalStateException("the policy's own tests fail:\n" + report.render());
        return policy;
    }

    /**
     * The caller as the policy sees them. Of the token's roles only {@code adminRole} counts, as the global
     * {@code admin}: every other role in the token was granted for other applications and means nothing here.
     * The per-project roles are read once per request from the membership table.
     */
    Caller caller(Subject verified) {
        Set<String> roles = verified.roles().contains(adminRole) ? Set.of(ADMIN) : Set.of();
        var subject = new Subject(verified.id(), verified.kind(), roles, verified.scopes(), verified.attributes(),
                verified.authTime(), verified.amr());
        MemberId member = MemberId.of(subject);
        List<RoleBinding> bindings = projects.membershipsOf(member).stream()
                .map(m -> RoleBinding.on(subject.id(), m.role().policyName(), projectRef(m.project())))
                .toList();
        return new Caller(subject, member, new Authorizer(policy, RoleBindingSource.of(bindings), clock));
    }

    static ResourceRef projectRef(ProjectId project) {
        return new ResourceRef("project", project.toString());
    }

    static Resource project(ProjectId project) {
        return Resource.of("project", project.toString());
    }

    static Resource task(Task task) {
        return new Resource("task", task.id().toString(), Map.of("assignee", task.assignee().map(MemberId::toString).orElse("")),
                Optional.of(projectRef(task.project())));
    }

    static Resource membership(ProjectId project, MemberId member) {
        return new Resource("membership", member.toString(), Map.of(), Optional.of(projectRef(project)));
    }

    /** One request's caller: their policy subject, their member id, and a decision point holding their bindings. */
    record Caller(Subject subject, MemberId member, Authorizer authorizer) {
        boolean isAdmin() {
            return subject.hasRole(ADMIN);
        }

        /** Asks the policy; a denial is logged with its reason (the caller only ever learns 403 or 404). */
        boolean may(String action, Resource resource) {
            Decision decision = authorizer.decide(AccessRequest.of(subject, action, resource));
            if (decision.denied()) {
                LOG.info("access_denied member={} action={} resource={} reason={}", member, action, resource.ref(),
                        decision.reason().describe());
            }
            return decision.allowed();
        }
    }
}
