package dev.doorman.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyFileTest {

    static List<PolicyException.Problem> problems(String yaml) {
        try {
            Policy.parse(yaml, "bad.yaml");
        } catch (PolicyException e) {
            assertThat(e.getMessage()).startsWith("invalid policy bad.yaml:");
            return e.problems();
        }
        throw new AssertionError("the policy loaded");
    }

    static String only(String yaml) {
        List<PolicyException.Problem> p = problems(yaml);
        assertThat(p).hasSize(1);
        return p.get(0).toString();
    }

    @Test
    void loadWhenExampleFileThenRolesRulesAndTestsAreRead() throws Exception {
        Policy p = Policy.load(Path.of("src/test/resources/policies/example.yaml"));
        assertThat(p.version()).isEqualTo(1);
        assertThat(p.roles()).containsKeys("viewer", "editor", "manager", "admin", "payments:approver");
        assertThat(p.inheritance().get("payments:approver")).containsExactly("payments:approver", "payments:clerk");
        assertThat(p.denyRules()).extracting(Rule::name).containsExactly("deletes-need-a-fresh-login", "archived-notes-are-read-only");
        assertThat(p.allowRules()).hasSize(3);
        assertThat(p.tests()).hasSize(14);
    }

    @Test
    void loadWhenUnknownKeyThenErrorNamesKeyAndLine() {
        assertThat(only("""
                version: 1
                roles:
                  viewer:
                    permisions: [note:read]
                """)).isEqualTo("line 4:5: unknown key 'permisions' in role 'viewer' (allowed: description, inherits, permissions)");
        assertThat(only("""
                version: 1
                rule: []
                """)).isEqualTo("line 2:1: unknown key 'rule' in the policy (allowed: roles, rules, tests, version)");
        assertThat(only("""
                version: 1
                rules:
                  - {name: r, effect: allow, actions: [a:b], when: "true"}
                """)).startsWith("line 3:").contains("unknown key 'when' in a rule");
    }

    @Test
    void loadWhenVersionMissingOrUnsupportedThenError() {
        assertThat(only("roles: {}\n")).contains("'version: 1' is missing");
        assertThat(only("version: 2\n")).isEqualTo("line 1:10: unsupported version '2': this Doorman reads version 1");
    }

    @Test
    void loadWhenConditionDoesNotParseThenErrorHasLineAndCelMessage() {
        String p = only("""
                version: 1
                rules:
                  - name: broken
                    effect: allow
                    actions: [note:read]
                    condition: resource.ownerId ==
                """);
        assertThat(p).startsWith("line 6:").contains("the condition of rule 'broken' does not compile").contains("mismatched input");
    }

    @Test
    void loadWhenConditionHasTypeErrorThenRejected() {
        assertThat(only("""
                version: 1
                rules:
                  - {name: t, effect: allow, actions: [note:read], condition: "subject.id == 1"}
                """)).startsWith("line 3:").contains("rule 't' does not compile").contains("no matching overload");
        assertThat(only("""
                version: 1
                rules:
                  - {name: t, effect: allow, actions: [note:read], condition: "subject.department == 'eng'"}
                """)).contains("undefined field 'department'");
        assertThat(only("""
                version: 1
                rules:
                  - {name: t, effect: allow, actions: [note:read], condition: "user.id == 'x'"}
                """)).contains("undeclared reference to 'user'");
        assertThat(only("""
                version: 1
                rules:
                  - {name: t, effect: allow, actions: [note:read], condition: "now + 1"}
                """)).contains("no matching overload");
        assertThat(only("""
                version: 1
                rules:
                  - {name: t, effect: allow, actions: [note:read], condition: "subject.id"}
                """)).contains("does not compile");
    }

    @Test
    void loadWhenRoleUndefinedThenErrorNamesRoleAndLine() {
        assertThat(only("""
                version: 1
                roles:
                  editor:
                    inherits: [veiwer]
                """)).isEqualTo("line 4:16: role 'editor' inherits the undefined role 'veiwer'");
        assertThat(only("""
                version: 1
                rules:
                  - {name: r, effect: allow, actions: [a:b], roles: [ghost]}
                """)).startsWith("line 3:").contains("rule 'r' names the undefined role 'ghost'");
    }

    @Test
    void loadWhenInheritanceHasACycleThenErrorShowsTheCycle() {
        assertThat(only("""
                version: 1
                roles:
                  a: {inherits: [b]}
                  b: {inherits: [c]}
                  c: {inherits: [a]}
                """)).matches("line \\d:\\d+: role inheritance cycle: (a -> b -> c -> a|b -> c -> a -> b|c -> a -> b -> c)");
        assertThat(only("""
                version: 1
                roles:
                  self: {inherits: [self]}
                """)).isEqualTo("line 3:3: role inheritance cycle: self -> self");
    }

    @Test
    void loadWhenBadPermissionsEffectsAndShapesThenEachIsReported() {
        List<PolicyException.Problem> p = problems("""
                version: 1
                roles:
                  viewer: {permissions: [read]}
                  editor: [note:read]
                rules:
                  - {name: r, effect: permit, actions: [note:read]}
                  - {name: r2, effect: allow}
                  - {name: r2, effect: allow, actions: []}
                  - {effect: allow, actions: [a:b]}
                  - {name: c, effect: allow, actions: [a:b], condition: 42}
                """);
        assertThat(p).extracting(PolicyException.Problem::toString).containsExactly(
                "line 3:26: 'read' is not a permission: write type:verb, type:* or *",
                "line 4:11: role 'editor' must be a mapping, not a list",
                "line 6:23: the effect of rule 'r' is 'allow' or 'deny', not 'permit'",
                "line 7:5: rule 'r2' needs 'actions' (type:verb, type:* or *)",
                "line 8:5: a second rule is named 'r2'",
                "line 8:40: the actions of rule 'r2' are empty",
                "line 9:5: a rule needs 'name'",
                "line 10:57: the condition of rule 'c' must be a CEL expression (a string), not '42'");
    }

    @Test
    void loadWhenYamlIsBrokenOrKeysRepeatThenErrorHasLine() {
        assertThat(only("version: 1\nroles:\n  a: {permissions: [x:y]\n")).startsWith("line ").contains("not valid YAML");
        assertThat(only("version: 1\nroles: {}\nroles: {}\n")).isEqualTo("line 3:1: not valid YAML: duplicate key 'roles'");
        assertThat(only("")).contains("the file is empty");
        assertThat(only("- a\n- b\n")).contains("the policy must be a mapping, not a list");
    }

    @Test
    void loadWhenTestCaseIsMalformedThenReported() {
        List<PolicyException.Problem> p = problems("""
                version: 1
                roles: {viewer: {}}
                tests:
                  - name: t1
                    subject: {id: ada, roles: [editor], kind: user}
                    action: noteread
                    resource: {type: note, id: n1}
                    expect: maybe
                  - name: t2
                    subject: {id: ada}
                    bindings: [{role: viewer, on: project}]
                    action: note:read
                    resource: {type: note, id: n1}
                    now: yesterday
                    expect: allow
                """);
        assertThat(p).extracting(PolicyException.Problem::toString).containsExactly(
                "line 5:32: the subject of test 't1' has the undefined role 'editor'",
                "line 5:41: unknown key 'kind' in the subject (allowed: amr, attrs, authTime, id, roles, scopes, type)",
                "line 6:13: an action is written type:verb, e.g. note:read",
                "line 8:13: expect is 'allow' or 'deny', not 'maybe'",
                "line 11:35: a resource is written type/id, e.g. project/42",
                "line 14:10: 'yesterday' is not an instant like 2026-11-28T10:00:00Z");
    }

    @Test
    void exceptionMessageListsEveryProblemOnItsOwnLine() {
        assertThatThrownBy(() -> Policy.parse("version: 1\nroles:\n  a: {inherits: [x]}\n  b: {inherits: [y]}\n", "p.yaml"))
                .isInstanceOf(PolicyException.class)
                .hasMessage("""
                        invalid policy p.yaml:
                          line 3:18: role 'a' inherits the undefined role 'x'
                          line 4:18: role 'b' inherits the undefined role 'y'""");
    }
}
