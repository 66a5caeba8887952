package dev.doorman.authz;

import dev.doorman.authz.PolicyException.Problem;
import dev.doorman.authz.Yaml.ListNode;
import dev.doorman.authz.Yaml.MapNode;
import dev.doorman.authz.Yaml.Node;
import dev.doorman.authz.Yaml.Scalar;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the policy file format, version 1, strictly: unknown keys, wrong types, undefined roles, inheritance
 * cycles and conditions that do not parse or type-check are all errors, each reported with its line.
 * The format is documented in the README, "Authorization: policies".
 */
final class PolicyFile {
    static final int VERSION = 1;
    private static final Pattern ROLE_NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final Pattern RULE_NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");

    private final String source;
    private final List<Problem> problems = new ArrayList<>();
    private final Conditions conditions = new Conditions();

    PolicyFile(String source) {
        this.source = source;
    }

    Policy read(String text) throws PolicyException {
        Node root;
        try {
            root = Yaml.parse(text);
        } catch (Yaml.SyntaxError e) {
            throw new PolicyException(source, List.of(new Problem(e.line, e.column, "not valid YAML: " + e.getMessage())));
        }
        MapNode top = mapping(root, "the policy");
        if (top == null) throw new PolicyException(source, problems);
        keys(top, "the policy", Set.of("version", "roles", "rules", "tests"));
        int version = 0;
        Node v = top.entries().get("version");
        if (v == null) {
            problem(top, "'version: " + VERSION + "' is missing");
        } else if (!(v instanceof Scalar s && s.value() instanceof Long l && l == VERSION)) {
            problem(v, "unsupported version " + describe(v) + ": this Doorman reads version " + VERSION);
        } else {
            version = VERSION;
        }

        Map<String, Role> roles = new LinkedHashMap<>();
        Map<String, Node> roleNodes = new HashMap<>();
        Map<String, List<Node>> inheritNodes = new HashMap<>();
        MapNode rolesNode = top.entries().containsKey("roles") ? mapping(top.entries().get("roles"), "'roles'") : null;
        if (rolesNode != null) {
            rolesNode.entries().forEach((name, node) -> {
                Yaml.Key key = rolesNode.keys().get(name);
                if (!ROLE_NAME.matcher(name).matches()) {
                    problems.add(new Problem(key.line(), key.column(), "role name '" + name + "' may only have letters, digits, '_', '.', ':' and '-'"));
                }
                MapNode def = mapping(node, "role '" + name + "'");
                if (def == null) return;
                keys(def, "role '" + name + "'", Set.of("permissions", "inherits", "description"));
                List<Permission> permissions = new ArrayList<>();
                for (Node p : strings(def.entries().get("permissions"), "permissions of role '" + name + "'")) {
                    permission(p).ifPresent(permissions::add);
                }
                List<Node> inherits = strings(def.entries().get("inherits"), "inherits of role '" + name + "'");
                optionalString(def.entries().get("description"), "description");
                inheritNodes.put(name, inherits);
                roleNodes.put(name, new Scalar(name, key.line(), key.column()));
                roles.put(name, new Role(name, permissions, inherits.stream().map(n -> (String) ((Scalar) n).value()).toList()));
            });
        }
        inheritNodes.forEach((name, nodes) -> nodes.forEach(n -> {
            if (!roles.containsKey((String) ((Scalar) n).value())) problem(n, "role '" + name + "' inherits the undefined role '" + ((Scalar) n).value() + "'");
        }));
        Map<String, List<String>> inheritance = resolveInheritance(roles, roleNodes);

        List<Rule> rules = new ArrayList<>();
        Set<String> ruleNames = new HashSet<>();
        if (top.entries().containsKey("rules")) {
            for (Node n : list(top.entries().get("rules"), "'rules'")) {
                rule(n, roles.keySet()).ifPresent(rule -> {
                    if (!ruleNames.add(rule.name())) problem(n, "a second rule is named '" + rule.name() + "'");
                    rules.add(rule);
                });
            }
        }
        List<PolicyTest> tests = new ArrayList<>();
        if (top.entries().containsKey("tests")) {
            for (Node n : list(top.entries().get("tests"), "'tests'")) test(n, roles.keySet()).ifPresent(tests::add);
        }
        if (!problems.isEmpty()) {
            problems.sort(java.util.Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
            throw new PolicyException(source, problems);
        }
        return new Policy(version, source, roles, inheritance, rules, tests);
    }

    /** Depth-first over "inherits"; a cycle is reported once, at the role that closes it. */
    private Map<String, List<String>> resolveInheritance(Map<String, Role> roles, Map<String, Node> at) {
        Map<String, List<String>> closure = new HashMap<>();
        Set<String> reported = new HashSet<>();
        for (String role : roles.keySet()) {
            LinkedHashSet<String> seen = new LinkedHashSet<>();
            List<String> path = new ArrayList<>();
            walk(role, roles, seen, path, at, reported);
            closure.put(role, List.copyOf(seen));
        }
        return closure;
    }

    private void walk(String role, Map<String, Role> roles, Set<String> seen, List<String> path, Map<String, Node> at, Set<String> reported) {
        if (path.contains(role)) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(role), path.size()));
            cycle.add(role);
            String key = cycle.stream().sorted().distinct().toList().toString();
            if (reported.add(key)) problem(at.get(path.getLast()), "role inheritance cycle: " + String.join(" -> ", cycle));
            return;
        }
        Role r = roles.get(role);
        if (r == null || !seen.add(role)) return;
        path.add(role);
        for (String parent : r.inherits()) walk(parent, roles, seen, path, at, reported);
        path.removeLast();
    }

    private Optional<Rule> rule(Node n, Set<String> roleNames) {
        MapNode m = mapping(n, "a rule");
        if (m == null) return Optional.empty();
        keys(m, "a rule", Set.of("name", "effect", "actions", "roles", "condition", "description"));
        String name = requiredString(m, "name", "a rule");
        String where = name == null ? "a rule" : "rule '" + name + "'";
        if (name != null && !RULE_NAME.matcher(name).matches()) problem(m.entries().get("name"), "rule name '" + name + "' may only have letters, digits, '_', '.', ':' and '-'");
        String effect = requiredString(m, "effect", where);
        Rule.Effect e = null;
        if (effect != null) {
            if (effect.equals("allow")) e = Rule.Effect.ALLOW;
            else if (effect.equals("deny")) e = Rule.Effect.DENY;
            else problem(m.entries().get("effect"), "the effect of " + where + " is 'allow' or 'deny', not '" + effect + "'");
        }
        List<Permission> actions = new ArrayList<>();
        Node actionsNode = m.entries().get("actions");
        List<Node> actionNodes = strings(actionsNode, "actions of " + where);
        for (Node a : actionNodes) permission(a).ifPresent(actions::add);
        if (actionsNode == null) problem(m, where + " needs 'actions' (type:verb, type:* or *)");
        else if (actionsNode instanceof ListNode l && l.items().isEmpty()) problem(actionsNode, "the actions of " + where + " are empty");
        Set<String> roles = new LinkedHashSet<>();
        for (Node r : strings(m.entries().get("roles"), "roles of " + where)) {
            String role = (String) ((Scalar) r).value();
            if (!roleNames.contains(role)) problem(r, where + " names the undefined role '" + role + "'");
            roles.add(role);
        }
        optionalString(m.entries().get("description"), "description");
        Optional<Condition> condition = Optional.empty();
        Node c = m.entries().get("condition");
        if (c != null) {
            if (c instanceof Scalar s && s.value() instanceof String expr && !expr.isBlank()) {
                try {
                    condition = Optional.of(conditions.compile(expr));
                } catch (Conditions.CompileError err) {
                    // The expression's own line/column is relative to the scalar; map it onto the file for one-line conditions.
                    int line = c.line() + Math.max(err.line, 1) - 1;
                    problems.add(new Problem(line, err.line <= 1 && err.column >= 0 ? c.column() + err.column : -1,
                            "the condition of " + where + " does not compile: " + err.getMessage()));
                    return Optional.empty();
                }
            } else {
                problem(c, "the condition of " + where + " must be a CEL expression (a string), not " + describe(c));
            }
        }
        if (name == null || e == null) return Optional.empty();
        return Optional.of(new Rule(name, e, actions, roles, condition));
    }

    private Optional<PolicyTest> test(Node n, Set<String> roleNames) {
        MapNode m = mapping(n, "a test");
        if (m == null) return Optional.empty();
        keys(m, "a test", Set.of("name", "subject", "bindings", "action", "resource", "context", "now", "expect", "because"));
        String name = requiredString(m, "name", "a test");
        String where = name == null ? "a test" : "test '" + name + "'";
        int before = problems.size();
        Subject subject = subject(m.entries().get("subject"), where, roleNames);
        List<RoleBinding> bindings = new ArrayList<>();
        for (Node b : list(m.entries().get("bindings"), "bindings of " + where)) {
            MapNode bm = mapping(b, "a binding");
            if (bm == null) continue;
            keys(bm, "a binding", Set.of("role", "on"));
            String role = requiredString(bm, "role", "a binding of " + where);
            if (role != null && !roleNames.contains(role)) problem(bm.entries().get("role"), "a binding of " + where + " names the undefined role '" + role + "'");
            Optional<ResourceRef> on = Optional.ofNullable(optionalString(bm.entries().get("on"), "on")).flatMap(text -> ref(text, bm.entries().get("on")));
            if (role != null && subject != null) bindings.add(new RoleBinding(subject.id(), role, on));
        }
        Action action = null;
        String actionText = requiredString(m, "action", where);
        if (actionText != null) {
            try {
                action = Action.parse(actionText);
            } catch (IllegalArgumentException e) {
                problem(m.entries().get("action"), e.getMessage());
            }
        }
        Resource resource = resource(m.entries().get("resource"), where);
        Map<String, Object> context = Map.of();
        if (m.entries().containsKey("context")) {
            MapNode cm = mapping(m.entries().get("context"), "the context of " + where);
            if (cm != null) context = plainMap(cm);
        }
        Optional<Instant> now = Optional.ofNullable(optionalString(m.entries().get("now"), "now")).flatMap(t -> instant(t, m.entries().get("now")));
        String expect = requiredString(m, "expect", where);
        if (expect != null && !expect.equals("allow") && !expect.equals("deny")) {
            problem(m.entries().get("expect"), "expect is 'allow' or 'deny', not '" + expect + "'");
        }
        Optional<String> because = Optional.ofNullable(optionalString(m.entries().get("because"), "because"));
        if (problems.size() > before || name == null || subject == null || action == null || resource == null || expect == null) return Optional.empty();
        return Optional.of(new PolicyTest(name, n.line(), new AccessRequest(subject, action, resource, context), bindings, now,
                expect.equals("allow"), because));
    }

    private Subject subject(Node n, String where, Set<String> roleNames) {
        if (n == null) {
            problems.add(new Problem(-1, -1, where + " needs a 'subject'"));
            return null;
        }
        MapNode m = mapping(n, "the subject of " + where);
        if (m == null) return null;
        keys(m, "the subject", Set.of("id", "type", "roles", "scopes", "attrs", "authTime", "amr"));
        String id = requiredString(m, "id", "the subject of " + where);
        String type = optionalString(m.entries().get("type"), "type");
        Subject.Kind kind = Subject.Kind.USER;
        if ("client".equals(type)) kind = Subject.Kind.CLIENT;
        else if (type != null && !type.equals("user")) problem(m.entries().get("type"), "a subject's type is 'user' or 'client', not '" + type + "'");
        Set<String> roles = new LinkedHashSet<>();
        for (Node r : strings(m.entries().get("roles"), "roles")) {
            String role = (String) ((Scalar) r).value();
            if (!roleNames.contains(role)) problem(r, "the subject of " + where + " has the undefined role '" + role + "'");
            roles.add(role);
        }
        Set<String> scopes = new LinkedHashSet<>();
        strings(m.entries().get("scopes"), "scopes").forEach(s -> scopes.add((String) ((Scalar) s).value()));
        Set<String> amr = new LinkedHashSet<>();
        strings(m.entries().get("amr"), "amr").forEach(s -> amr.add((String) ((Scalar) s).value()));
        Map<String, Object> attrs = Map.of();
        if (m.entries().containsKey("attrs")) {
            MapNode am = mapping(m.entries().get("attrs"), "the subject's attrs");
            if (am != null) attrs = plainMap(am);
        }
        Optional<Instant> authTime = Optional.ofNullable(optionalString(m.entries().get("authTime"), "authTime")).flatMap(t -> instant(t, m.entries().get("authTime")));
        if (id == null) return null;
        return new Subject(id, kind, roles, scopes, attrs, authTime, amr);
    }

    private Resource resource(Node n, String where) {
        if (n == null) {
            problems.add(new Problem(-1, -1, where + " needs a 'resource'"));
            return null;
        }
        MapNode m = mapping(n, "the resource of " + where);
        if (m == null) return null;
        keys(m, "the resource", Set.of("type", "id", "attrs", "parent"));
        String type = requiredString(m, "type", "the resource of " + where);
        String id = requiredString(m, "id", "the resource of " + where);
        Map<String, Object> attrs = Map.of();
        if (m.entries().containsKey("attrs")) {
            MapNode am = mapping(m.entries().get("attrs"), "the resource's attrs");
            if (am != null) attrs = plainMap(am);
        }
        Optional<ResourceRef> parent = Optional.ofNullable(optionalString(m.entries().get("parent"), "parent")).flatMap(t -> ref(t, m.entries().get("parent")));
        if (type == null || id == null) return null;
        try {
            return new Resource(type, id, attrs, parent);
        } catch (IllegalArgumentException e) {
            problem(m, e.getMessage());
            return null;
        }
    }

    // ---- small readers; each records a problem and returns null/empty on a wrong shape ----

    private MapNode mapping(Node n, String what) {
        if (n instanceof MapNode m) return m;
        problem(n, what + " must be a mapping, not " + describe(n));
        return null;
    }

    private List<Node> list(Node n, String what) {
        if (n == null) return List.of();
        if (n instanceof ListNode l) return l.items();
        problem(n, what + " must be a list, not " + describe(n));
        return List.of();
    }

    /** A list of strings; each returned node is a Scalar holding a String. */
    private List<Node> strings(Node n, String what) {
        List<Node> out = new ArrayList<>();
        for (Node item : list(n, what)) {
            if (item instanceof Scalar s && s.value() instanceof String str && !str.isBlank()) out.add(item);
            else problem(item, "each entry of " + what + " must be a string, not " + describe(item));
        }
        return out;
    }

    private String requiredString(MapNode m, String key, String where) {
        Node n = m.entries().get(key);
        if (n == null) {
            problem(m, where + " needs '" + key + "'");
            return null;
        }
        return optionalString(n, key);
    }

    private String optionalString(Node n, String key) {
        if (n == null) return null;
        if (n instanceof Scalar s && s.value() instanceof String str && !str.isBlank()) return str;
        problem(n, "'" + key + "' must be a non-empty string, not " + describe(n));
        return null;
    }

    private void keys(MapNode m, String where, Set<String> allowed) {
        m.keys().forEach((name, key) -> {
            if (!allowed.contains(name)) {
                problems.add(new Problem(key.line(), key.column(), "unknown key '" + name + "' in " + where + " (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")"));
            }
        });
    }

    private Optional<Permission> permission(Node n) {
        try {
            return Optional.of(Permission.parse((String) ((Scalar) n).value()));
        } catch (IllegalArgumentException e) {
            problem(n, e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<ResourceRef> ref(String text, Node at) {
        try {
            return Optional.of(ResourceRef.parse(text));
        } catch (IllegalArgumentException e) {
            problem(at, e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<Instant> instant(String text, Node at) {
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            problem(at, "'" + text + "' is not an instant like 2026-11-28T10:00:00Z");
            return Optional.empty();
        }
    }

    private static Map<String, Object> plainMap(MapNode m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.entries().forEach((k, v) -> {
            Object value = plain(v);
            if (value != null) out.put(k, value);
        });
        return out;
    }

    private static Object plain(Node n) {
        return switch (n) {
            case Scalar s -> s.value();
            case ListNode l -> l.items().stream().map(PolicyFile::plain).filter(java.util.Objects::nonNull).toList();
            case MapNode m -> plainMap(m);
        };
    }

    private void problem(Node at, String message) {
        problems.add(at == null ? new Problem(-1, -1, message) : new Problem(at.line(), at.column(), message));
    }

    private static String describe(Node n) {
        if (n instanceof Scalar s && s.value() != null) return "'" + s.value() + "'";
        return n == null ? "nothing" : n.kind();
    }
}
