package dev.doorman.authz;

import dev.doorman.authz.Decision.Reason;
import dev.doorman.authz.Decision.Step;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The policy decision point: "may this subject do this action on this resource?". Deny by default; a matching
 * deny rule overrides every allow; a condition that cannot be evaluated never allows (in a deny rule it denies).
 * Thread-safe; holds no per-request state.
 *
 * <p>Order: the action must belong to the resource's type; deny rules; permissions of the roles in effect
 * (subject roles, bindings on the resource or its parent, and what they inherit); allow rules.
 */
public final class Authorizer {
    private final Policy policy;
    private final RoleBindingSource bindings;
    private final Clock clock;

    public Authorizer(Policy policy, RoleBindingSource bindings, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.bindings = Objects.requireNonNull(bindings, "bindings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Policy policy() {
        return policy;
    }

    /** Decides; the decision carries its reason but no step-by-step explanation. */
    public Decision decide(AccessRequest request) {
        return evaluate(request, null);
    }

    /** Decides and records every role and rule considered, and each condition's value. Same answer as decide. */
    public Decision explain(AccessRequest request) {
        return evaluate(request, new ArrayList<>());
    }

    public boolean isAllowed(AccessRequest request) {
        return decide(request).allowed();
    }

    private Decision evaluate(AccessRequest request, List<Step> steps) {
        Action action = request.action();
        Resource resource = request.resource();
        if (!action.type().equals(resource.type())) {
            return done(false, new Reason.Undecidable("action " + action + " does not apply to a resource of type " + resource.type()), steps);
        }
        Map<String, String> roles;
        try {
            roles = rolesInEffect(request, steps);
        } catch (RuntimeException e) {
            return done(false, new Reason.Undecidable("role bindings are unavailable (" + e.getClass().getSimpleName() + ")"), steps);
        }
        Map<String, Object> variables = null;
        Reason deny = null;
        for (Rule rule : policy.denyRules()) {
            if (!applies(rule, action, roles, steps)) continue;
            if (rule.condition().isEmpty()) {
                note(steps, rule, "matches (no condition): deny");
                if (deny == null) deny = new Reason.DeniedByRule(rule.name(), Optional.empty(), Optional.empty());
                if (steps == null) break;
                continue;
            }
            if (variables == null) variables = variables(request, roles);
            Condition condition = rule.condition().get();
            switch (condition.evaluate(variables)) {
                case Condition.Result.True t -> {
                    note(steps, rule, "condition `" + condition + "` is true: deny");
                    if (deny == null) deny = new Reason.DeniedByRule(rule.name(), Optional.of(condition.expression()), Optional.empty());
                }
                case Condition.Result.False f -> note(steps, rule, "condition `" + condition + "` is false: no effect");
                case Condition.Result.Error e -> {
                    note(steps, rule, "condition `" + condition + "` failed (" + e.message() + "): deny (fail closed)");
                    if (deny == null) deny = new Reason.DeniedByRule(rule.name(), Optional.of(condition.expression()), Optional.of(e.message()));
                }
            }
            if (deny != null && steps == null) break;
        }
        if (deny != null) return done(false, deny, steps);

        for (Map.Entry<String, String> held : roles.entrySet()) {
            Role role = policy.roles().get(held.getKey());
            for (Permission permission : role.permissions()) {
                if (permission.covers(action)) {
                    note(steps, "role " + role.name(), "permission " + permission + " covers " + action + ": allow");
                    return done(true, new Reason.AllowedByRole(role.name(), held.getValue(), permission), steps);
                }
            }
            note(steps, "role " + role.name(), "no permission covers " + action);
        }
        Reason allowedByRule = null;
        for (Rule rule : policy.allowRules()) {
            if (!applies(rule, action, roles, steps)) continue;
            if (rule.condition().isEmpty()) {
                note(steps, rule, "matches (no condition): allow");
                allowedByRule = new Reason.AllowedByRule(rule.name(), Optional.empty());
                break;
            }
            if (variables == null) variables = variables(request, roles);
            Condition condition = rule.condition().get();
            switch (condition.evaluate(variables)) {
                case Condition.Result.True t -> {
                    note(steps, rule, "condition `" + condition + "` is true: allow");
                    allowedByRule = new Reason.AllowedByRule(rule.name(), Optional.of(condition.expression()));
                }
                case Condition.Result.False f -> note(steps, rule, "condition `" + condition + "` is false: no effect");
                case Condition.Result.Error e -> note(steps, rule, "condition `" + condition + "` failed (" + e.message() + "): does not allow");
            }
            if (allowedByRule != null) break;
        }
        if (allowedByRule != null) return done(true, allowedByRule, steps);
        String held = roles.isEmpty() ? "no roles in effect" : "roles in effect: " + String.join(", ", roles.keySet());
        return done(false, new Reason.NothingAllowed("no role or allow rule grants " + action + " (" + held + ")"), steps);
    }

    /** Role name to how the subject holds it, in a stable order: credential roles, bindings, then inherited. */
    private Map<String, String> rolesInEffect(AccessRequest request, List<Step> steps) {
        Map<String, String> direct = new LinkedHashMap<>();
        for (String role : request.subject().roles().stream().sorted().toList()) {
            direct.putIfAbsent(role, "role " + role + " held by the subject");
        }
        for (RoleBinding binding : bindings.bindingsFor(request.subject())) {
            if (!binding.subjectId().equals(request.subject().id())) continue;
            if (binding.appliesTo(request.resource())) {
                direct.putIfAbsent(binding.role(), binding.describe());
            } else {
                note(steps, binding.describe(), "does not apply to " + request.resource().ref());
            }
        }
        Map<String, String> effective = new LinkedHashMap<>();
        for (Map.Entry<String, String> d : direct.entrySet()) {
            List<String> closure = policy.inheritance().get(d.getKey());
            if (closure == null) {
                note(steps, "role " + d.getKey(), "not defined in the policy: ignored");
                continue;
            }
            for (String role : closure) {
                effective.putIfAbsent(role, role.equals(d.getKey()) ? d.getValue() : "role " + role + " inherited through " + d.getValue());
            }
        }
        if (steps != null) effective.forEach((role, how) -> steps.add(new Step("role " + role, "in effect (" + how + ")")));
        return effective;
    }

    private static boolean applies(Rule rule, Action action, Map<String, String> roles, List<Step> steps) {
        if (!rule.covers(action)) return false;
        if (!rule.roles().isEmpty() && rule.roles().stream().noneMatch(roles::containsKey)) {
            note(steps, rule, "needs one of the roles " + rule.roles().stream().sorted().toList() + ": not applicable");
            return false;
        }
        return true;
    }

    private Map<String, Object> variables(AccessRequest request, Map<String, String> roles) {
        Subject s = request.subject();
        Map<String, Object> subject = new HashMap<>();
        subject.put("id", s.id());
        subject.put("type", s.kind().name().toLowerCase(java.util.Locale.ROOT));
        subject.put("roles", List.copyOf(roles.keySet()));
        subject.put("scopes", List.copyOf(s.scopes()));
        subject.put("attrs", CelValues.map(s.attributes()));
        s.authTime().ifPresent(t -> subject.put("authTime", t));
        subject.put("amr", List.copyOf(s.amr()));

        Resource r = request.resource();
        Map<String, Object> attrs = CelValues.map(r.attributes());
        Map<String, Object> resource = new HashMap<>(attrs);
        resource.put("type", r.type());
        resource.put("id", r.id());
        resource.put("attrs", attrs);
        r.parent().ifPresent(p -> resource.put("parent", p.toString()));

        Map<String, Object> variables = new HashMap<>();
        variables.put("subject", subject);
        variables.put("resource", resource);
        variables.put("context", CelValues.map(request.context()));
        variables.put("now", clock.instant());
        return variables;
    }

    private static Decision done(boolean allowed, Reason reason, List<Step> steps) {
        if (steps != null) steps.add(new Step("decision", reason.describe()));
        return new Decision(allowed, reason, steps == null ? List.of() : steps);
    }

    private static void note(List<Step> steps, Rule rule, String outcome) {
        if (steps != null) steps.add(new Step((rule.effect() == Rule.Effect.DENY ? "deny rule '" : "allow rule '") + rule.name() + "'", outcome));
    }

    private static void note(List<Step> steps, String considered, String outcome) {
        if (steps != null) steps.add(new Step(considered, outcome));
    }
}
