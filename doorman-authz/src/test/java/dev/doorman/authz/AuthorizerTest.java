package dev.doorman.authz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.doorman.authz.Decision.Reason;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthorizerTest {
    static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    static final String POLICY = """
            version: 1
            roles:
              viewer: {permissions: [note:read]}
              editor: {inherits: [viewer], permissions: [note:update]}
              chief: {inherits: [editor]}
              manager: {permissions: ["project:*", "task:*"]}
              admin: {permissions: ["*"]}
              payments:approver: {}
            rules:
              - name: owners-delete
                effect: allow
                actions: [note:delete]
                condition: resource.ownerId == subject.id
              - name: department
                effect: allow
                actions: [report:read]
                condition: subject.attrs.department == resource.attrs.department
              - name: small-payments
                effect: allow
                actions: [payment:approve]
                condition: context.amount <= 1000 || 'payments:approver' in subject.roles
              - name: fresh-login
                effect: allow
                actions: [account:close]
                condition: subject.authTime > now - duration('5m')
              - name: locked
                effect: deny
                actions: ["note:*"]
                condition: resource.locked == true
              - name: no-task-deletes
                effect: deny
                actions: [task:delete]
            """;

    final Policy policy = parse(POLICY);

    static Policy parse(String yaml) {
        try {
            return Policy.parse(yaml, "test.yaml");
        } catch (PolicyException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    Authorizer authorizer(RoleBinding... bindings) {
        return new Authorizer(policy, RoleBindingSource.of(List.of(bindings)), CLOCK);
    }

    static Subject user(String id, String... roles) {
        return Subject.user(id, Set.of(roles));
    }

    static AccessRequest request(Subject s, String action, Resource r) {
        return AccessRequest.of(s, action, r);
    }

    @Test
    void decideWhenNothingGrantsThenDeniedByDefaultSayingSo() {
        Decision d = authorizer().decide(request(user("ada"), "note:read", Resource.of("note", "n1", Map.of("locked", false))));
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).isInstanceOf(Reason.NothingAllowed.class);
        assertThat(d.reason().describe()).contains("no role or allow rule grants note:read").contains("no roles in effect");
    }

    @Test
    void decideWhenRoleInheritsTwoLevelsThenInheritedPermissionAllows() {
        Decision d = authorizer().decide(request(user("ada", "chief"), "note:read", Resource.of("note", "n1", Map.of("locked", false))));
        assertThat(d.allowed()).isTrue();
        assertThat(d.reason()).isEqualTo(new Reason.AllowedByRole("viewer", "role viewer inherited through role chief held by the subject", Permission.parse("note:read")));
    }

    @Test
    void decideWhenRoleDoesNotInheritUpwardThenDenied() {
        assertThat(authorizer().decide(request(user("ada", "viewer"), "note:update", Resource.of("note", "n1", Map.of("locked", false)))).allowed()).isFalse();
    }

    @Test
    void decideWhenWildcardPermissionsThenTypeStarAndStarCoverEveryVerb() {
        var manager = authorizer(RoleBinding.global("ada", "manager"));
        assertThat(manager.decide(request(user("ada"), "project:archive", Resource.of("project", "1"))).allowed()).isTrue();
        assertThat(manager.decide(request(user("ada"), "note:read", Resource.of("note", "1", Map.of("locked", false)))).allowed()).isFalse();
        assertThat(authorizer().decide(request(user("root", "admin"), "anything:goes", Resource.of("anything", "1"))).allowed()).isTrue();
    }

    @Test
    void decideWhenBindingIsScopedToProject42ThenItCountsOnThatProjectAndItsChildrenOnly() {
        var auth = authorizer(RoleBinding.on("ada", "manager", new ResourceRef("project", "42")));
        Subject ada = user("ada");
        assertThat(auth.decide(request(ada, "project:update", Resource.of("project", "42"))).allowed()).isTrue();
        assertThat(auth.decide(request(ada, "task:update", Resource.of("task", "7").within(new ResourceRef("project", "42")))).allowed()).isTrue();
        assertThat(auth.decide(request(ada, "project:update", Resource.of("project", "43"))).allowed()).isFalse();
        assertThat(auth.decide(request(ada, "task:update", Resource.of("task", "8").within(new ResourceRef("project", "43")))).allowed()).isFalse();
        assertThat(auth.decide(request(ada, "task:update", Resource.of("task", "9"))).allowed()).isFalse();
        Decision d = auth.decide(request(ada, "project:update", Resource.of("project", "42")));
        assertThat(d.reason().describe()).isEqualTo("allowed: role manager bound on project/42 grants project:*");
    }

    @Test
    void decideWhenBindingBelongsToAnotherSubjectThenItDoesNotCount() {
        RoleBindingSource leaky = s -> List.of(RoleBinding.global("bob", "admin"));
        var auth = new Authorizer(policy, leaky, CLOCK);
        assertThat(auth.decide(request(user("ada"), "project:update", Resource.of("project", "1"))).allowed()).isFalse();
    }

    @Test
    void decideWhenDenyRuleMatchesThenItOverridesAdminAllow() {
        Decision d = authorizer().decide(request(user("root", "admin"), "note:read", Resource.of("note", "1", Map.of("locked", true))));
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).isEqualTo(new Reason.DeniedByRule("locked", Optional.of("resource.locked == true"), Optional.empty()));
        Decision unconditional = authorizer().decide(request(user("root", "admin"), "task:delete", Resource.of("task", "1")));
        assertThat(unconditional.reason().source()).contains("no-task-deletes");
    }

    @Test
    void decideWhenDenyConditionCannotBeEvaluatedThenDeniedFailClosedWithTheError() {
        // "locked" is missing: the deny rule's condition errors, and an error in a deny rule denies.
        Decision d = authorizer().decide(request(user("root", "admin"), "note:read", Resource.of("note", "1")));
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).isInstanceOfSatisfying(Reason.DeniedByRule.class, r -> {
            assertThat(r.rule()).isEqualTo("locked");
            assertThat(r.error()).get().asString().contains("locked");
        });
    }

    @Test
    void decideWhenOwnerConditionTrueThenAllowedAndFalseThenDenied() {
        Resource note = Resource.of("note", "1", Map.of("ownerId", "ada", "locked", false));
        assertThat(authorizer().decide(request(user("ada"), "note:delete", note)).reason().source()).contains("owners-delete");
        assertThat(authorizer().decide(request(user("bob"), "note:delete", note)).allowed()).isFalse();
    }

    @Test
    void decideWhenAllowConditionErrorsThenNotAllowed() {
        // No ownerId attribute: the allow rule cannot be evaluated and allows nothing (AZ-07).
        Decision d = authorizer().explain(request(user("ada"), "note:delete", Resource.of("note", "1", Map.of("locked", false))));
        assertThat(d.allowed()).isFalse();
        assertThat(d.explain()).anySatisfy(step -> {
            assertThat(step.considered()).isEqualTo("allow rule 'owners-delete'");
            assertThat(step.outcome()).contains("failed").contains("ownerId").contains("does not allow");
        });
    }

    @Test
    void decideWhenDepartmentsMatchThenAllowedOtherwiseDenied() {
        Subject eng = new Subject("ada", Subject.Kind.USER, Set.of(), Set.of(), Map.of("department", "eng"), Optional.empty(), Set.of());
        assertThat(authorizer().decide(request(eng, "report:read", Resource.of("report", "1", Map.of("department", "eng")))).allowed()).isTrue();
        assertThat(authorizer().decide(request(eng, "report:read", Resource.of("report", "1", Map.of("department", "sales")))).allowed()).isFalse();
    }

    @Test
    void decideWhenAmountOverLimitThenOnlyAnApproverMayApprove() {
        Resource payment = Resource.of("payment", "p1");
        var small = new AccessRequest(user("ada"), Action.parse("payment:approve"), payment, Map.of("amount", 1000));
        var big = new AccessRequest(user("ada"), Action.parse("payment:approve"), payment, Map.of("amount", 1001L));
        var bigByApprover = new AccessRequest(user("ada", "payments:approver"), Action.parse("payment:approve"), payment, Map.of("amount", 5000));
        assertThat(authorizer().decide(small).allowed()).isTrue();
        assertThat(authorizer().decide(big).allowed()).isFalse();
        assertThat(authorizer().decide(bigByApprover).allowed()).isTrue();
    }

    @Test
    void decideWhenAuthTimeRecentThenAllowedAndWhenOldOrUnknownThenDenied() {
        Resource account = Resource.of("account", "ada");
        assertThat(authorizer().decide(request(withAuthTime(NOW.minusSeconds(299)), "account:close", account)).allowed()).isTrue();
        assertThat(authorizer().decide(request(withAuthTime(NOW.minusSeconds(301)), "account:close", account)).allowed()).isFalse();
        assertThat(authorizer().decide(request(user("ada"), "account:close", account)).allowed()).isFalse();
    }

    private static Subject withAuthTime(Instant t) {
        return new Subject("ada", Subject.Kind.USER, Set.of(), Set.of(), Map.of(), Optional.of(t), Set.of("pwd"));
    }

    @Test
    void decideWhenActionIsForAnotherResourceTypeThenDenied() {
        Decision d = authorizer().decide(request(user("root", "admin"), "note:read", Resource.of("task", "1")));
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).isInstanceOf(Reason.Undecidable.class);
        assertThat(d.reason().describe()).contains("does not apply to a resource of type task");
    }

    @Test
    void decideWhenBindingSourceFailsThenDeniedNotAllowed() {
        RoleBindingSource broken = s -> { throw new IllegalStateException("database down"); };
        Decision d = new Authorizer(policy, broken, CLOCK).decide(request(user("root", "admin"), "project:read", Resource.of("project", "1")));
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason().describe()).contains("role bindings are unavailable");
    }

    @Test
    void decideWhenSubjectHoldsARoleThePolicyDoesNotDefineThenItIsIgnored() {
        Decision d = authorizer().explain(request(user("ada", "superuser"), "project:read", Resource.of("project", "1")));
        assertThat(d.allowed()).isFalse();
        assertThat(d.explain()).contains(new Decision.Step("role superuser", "not defined in the policy: ignored"));
    }

    @Test
    void explainWhenAllowedByConditionThenListsRolesRulesAndConditionValues() {
        Resource note = Resource.of("note", "1", Map.of("ownerId", "ada", "locked", false));
        Decision d = authorizer(RoleBinding.on("ada", "manager", new ResourceRef("project", "9"))).explain(request(user("ada", "viewer"), "note:delete", note));
        assertThat(d.allowed()).isTrue();
        assertThat(d.explain()).extracting(Decision.Step::toString).containsExactly(
                "role manager bound on project/9: does not apply to note/1",
                "role viewer: in effect (role viewer held by the subject)",
                "deny rule 'locked': condition `resource.locked == true` is false: no effect",
                "role viewer: no permission covers note:delete",
                "allow rule 'owners-delete': condition `resource.ownerId == subject.id` is true: allow",
                "decision: allowed by rule 'owners-delete' (condition true: resource.ownerId == subject.id)");
        assertThat(authorizer().decide(request(user("ada", "viewer"), "note:delete", note)))
                .satisfies(plain -> {
                    assertThat(plain.explain()).isEmpty();
                    assertThat(plain.reason()).isEqualTo(d.reason());
                });
    }

    @Test
    void explainWhenDeniedByDefaultThenSaysWhatWasTried() {
        Decision d = authorizer().explain(request(user("ada", "viewer"), "note:update", Resource.of("note", "1", Map.of("locked", false))));
        assertThat(d.explain()).extracting(Decision.Step::toString).contains(
                "role viewer: no permission covers note:update",
                "decision: denied: no role or allow rule grants note:update (roles in effect: viewer)");
    }

    @Test
    void conditionsSeeInheritedAndScopedRolesInSubjectRoles() {
        Policy p = parse("""
                version: 1
                roles:
                  base: {}
                  top: {inherits: [base]}
                  lead: {}
                rules:
                  - {name: r, effect: allow, actions: [doc:read], condition: "'base' in subject.roles && 'lead' in subject.roles"}
                """);
        var auth = new Authorizer(p, RoleBindingSource.of(List.of(RoleBinding.on("ada", "lead", new ResourceRef("doc", "1")))), CLOCK);
        assertThat(auth.decide(request(user("ada", "top"), "doc:read", Resource.of("doc", "1"))).allowed()).isTrue();
        assertThat(auth.decide(request(user("ada", "top"), "doc:read", Resource.of("doc", "2"))).allowed()).isFalse();
    }

    @Test
    void ruleRestrictedToRolesWhenSubjectLacksThemThenNotApplicable() {
        Policy p = parse("""
                version: 1
                roles: {clerk: {}}
                rules:
                  - {name: clerks, effect: allow, actions: [payment:approve], roles: [clerk]}
                """);
        var auth = new Authorizer(p, RoleBindingSource.none(), CLOCK);
        assertThat(auth.decide(request(user("ada", "clerk"), "payment:approve", Resource.of("payment", "1"))).allowed()).isTrue();
        Decision d = auth.explain(request(user("ada"), "payment:approve", Resource.of("payment", "1")));
        assertThat(d.allowed()).isFalse();
        assertThat(d.explain()).extracting(Decision.Step::toString).contains("allow rule 'clerks': needs one of the roles [clerk]: not applicable");
    }

    @Test
    void conditionWhenResultIsNotBoolAtRunTimeThenTreatedAsError() {
        Policy p = parse("""
                version: 1
                rules:
                  - {name: dyn, effect: allow, actions: [doc:read], condition: "resource.flag"}
                """);
        var auth = new Authorizer(p, RoleBindingSource.none(), CLOCK);
        assertThat(auth.decide(request(user("ada"), "doc:read", Resource.of("doc", "1", Map.of("flag", "yes")))).allowed()).isFalse();
        assertThat(auth.decide(request(user("ada"), "doc:read", Resource.of("doc", "1", Map.of("flag", true)))).allowed()).isTrue();
    }

    @Test
    void conditionCanTestForAnUnknownAuthTimeWithHas() {
        Policy p = parse("""
                version: 1
                rules:
                  - {name: unknown-login-time, effect: allow, actions: [doc:read], condition: "!has(subject.authTime)"}
                """);
        var auth = new Authorizer(p, RoleBindingSource.none(), CLOCK);
        assertThat(auth.decide(request(user("ada"), "doc:read", Resource.of("doc", "1"))).allowed()).isTrue();
        assertThat(auth.decide(request(withAuthTime(NOW), "doc:read", Resource.of("doc", "1"))).allowed()).isFalse();
    }

    @Test
    void clientSubjectsHaveTypeClientAndScopes() {
        Policy p = parse("""
                version: 1
                rules:
                  - {name: svc, effect: allow, actions: [doc:read], condition: "subject.type == 'client' && 'docs:read' in subject.scopes"}
                """);
        var auth = new Authorizer(p, RoleBindingSource.none(), CLOCK);
        assertThat(auth.decide(request(Subject.client("svc", Set.of("docs:read")), "doc:read", Resource.of("doc", "1"))).allowed()).isTrue();
        assertThat(auth.decide(request(Subject.client("svc", Set.of()), "doc:read", Resource.of("doc", "1"))).allowed()).isFalse();
        assertThat(auth.decide(request(user("svc"), "doc:read", Resource.of("doc", "1"))).allowed()).isFalse();
    }
}
