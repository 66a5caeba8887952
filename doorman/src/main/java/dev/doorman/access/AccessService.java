package dev.doorman.access;

import dev.doorman.account.UserId;
import dev.doorman.audit.AuditEvent;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditType;
import dev.doorman.authz.AccessRequest;
import dev.doorman.authz.Authorizer;
import dev.doorman.authz.Decision;
import dev.doorman.authz.Policy;
import dev.doorman.authz.ResourceRef;
import dev.doorman.authz.RoleBinding;
import dev.doorman.authz.RoleBindingSource;
import dev.doorman.support.ClientInfo;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Role bindings and decisions: binds and unbinds roles (each change audited), and answers access requests with the
 * policy engine over the database's bindings. Roles must be defined in the policy; subjects must exist.
 */
public final class AccessService {
    private final Policy policy;
    private final RoleBindingStore store;
    private final Authorizer authorizer;
    private final RoleBindingSource bindings;
    private final Predicate<String> subjectExists;
    private final AuditLog audit;
    private final Clock clock;

    /** @param subjectExists whether an id names an existing user or client */
    public AccessService(Policy policy, RoleBindingStore store, RoleBindingSource bindings, Predicate<String> subjectExists,
                         AuditLog audit, Clock clock) {
        this.policy = policy;
        this.store = store;
        this.authorizer = new Authorizer(policy, bindings, clock);
        this.bindings = bindings;
        this.subjectExists = subjectExists;
        this.audit = audit;
        this.clock = clock;
    }

    public Policy policy() {
        return policy;
    }

    public Authorizer authorizer() {
        return authorizer;
    }

    /** Decides; with {@code explain}, the decision lists every step. */
    public Decision decide(AccessRequest request, boolean explain) {
        return explain ? authorizer.explain(request) : authorizer.decide(request);
    }

    /**
     * A decider for one batch of requests (AuthZEN evaluations): each subject's bindings are read once for the
     * whole batch instead of once per request. Use it for one HTTP request only, so a change is seen by the next.
     */
    public Function<AccessRequest, Decision> batch(boolean explain) {
        Map<String, List<RoleBinding>> read = new HashMap<>();
        var once = new Authorizer(policy, subject -> read.computeIfAbsent(subject.kind() + " " + subject.id(), k -> bindings.bindingsFor(subject)), clock);
        return request -> explain ? once.explain(request) : once.decide(request);
    }

    /**
     * @param scope {@code type/id}, or empty for a global binding
     * @param actor the administrator (empty for the command line)
     */
    public BindingOutcome bind(String subjectId, String role, Optional<String> scope, Optional<UserId> actor, ClientInfo from) {
        RoleBinding binding;
        try {
            binding = checked(subjectId, role, scope);
        } catch (Refusal r) {
            audit.failure(AuditType.ROLE_BOUND, r.code, actor, from);
            return new BindingOutcome.Refused(r.code, r.getMessage());
        }
        if (!store.save(binding, clock.instant())) return new BindingOutcome.AlreadyBound(binding);
        record(AuditType.ROLE_BOUND, binding, actor, from);
        return new BindingOutcome.Bound(binding);
    }

    public BindingOutcome unbind(String subjectId, String role, Optional<String> scope, Optional<UserId> actor, ClientInfo from) {
        RoleBinding binding;
        try {
            binding = new RoleBinding(subjectId, role, scope.map(ResourceRef::parse));
        } catch (IllegalArgumentException e) {
            return new BindingOutcome.Refused("access.invalid_resource", e.getMessage());
        }
        if (!store.remove(binding)) return new BindingOutcome.NotBound(binding);
        record(AuditType.ROLE_UNBOUND, binding, actor, from);
        return new BindingOutcome.Unbound(binding);
    }

    /** Every binding, or those of one subject. */
    public List<StoredBinding> bindings(Optional<String> subjectId) {
        return subjectId.map(store::bindingsOf).orElseGet(store::list);
    }

    private static final class Refusal extends Exception {
        final String code;

        Refusal(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    private RoleBinding checked(String subjectId, String role, Optional<String> scope) throws Refusal {
        if (subjectId == null || subjectId.isBlank() || subjectId.length() > 64 || !subjectExists.test(subjectId))
            throw new Refusal("access.unknown_subject", "no user or client has the id \"" + printable(subjectId) + "\"");
        if (role == null || !policy.definesRole(role))
            throw new Refusal("access.unknown_role", "the policy defines no role \"" + printable(role) + "\""
                    + (policy.roles().isEmpty() ? " (no policy file is configured: authz.policyFile)"
                    : " (roles: " + String.join(", ", policy.roles().keySet().stream().sorted().toList()) + ")"));
        try {
            return new RoleBinding(subjectId, role, scope.map(ResourceRef::parse));
        } catch (IllegalArgumentException e) {
            throw new Refusal("access.invalid_resource", e.getMessage());
        }
    }

    private void record(AuditType type, RoleBinding binding, Optional<UserId> actor, ClientInfo from) {
        // reason carries what changed: the subject, the role and the scope (ids, never secrets).
        audit.record(new AuditEvent(clock.instant(), type, AuditEvent.Outcome.SUCCESS,
                Optional.of(binding.subjectId() + " " + binding.role() + binding.scope().map(s -> " on " + s).orElse("")),
                actor, Optional.empty(), from));
    }

    private static String printable(String s) {
        if (s == null) return "";
        String cut = s.length() > 64 ? s.substring(0, 64) + "…" : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
