package dev.doorman.authz;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A loaded, validated policy: roles (with their inheritance resolved), rules (conditions compiled once, here)
 * and the test cases the file carries. Immutable; build an {@link Authorizer} over it.
 */
public final class Policy {
    private final int version;
    private final String source;
    private final Map<String, Role> roles;
    private final Map<String, List<String>> inheritance;
    private final List<Rule> denyRules;
    private final List<Rule> allowRules;
    private final List<PolicyTest> tests;

    Policy(int version, String source, Map<String, Role> roles, Map<String, List<String>> inheritance, List<Rule> rules, List<PolicyTest> tests) {
        this.version = version;
        this.source = Objects.requireNonNull(source);
        this.roles = Map.copyOf(roles);
        this.inheritance = Map.copyOf(inheritance);
        this.denyRules = rules.stream().filter(r -> r.effect() == Rule.Effect.DENY).toList();
        this.allowRules = rules.stream().filter(r -> r.effect() == Rule.Effect.ALLOW).toList();
        this.tests = List.copyOf(tests);
    }

    /** No roles and no rules: every request is denied. */
    public static Policy empty() {
        return new Policy(PolicyFile.VERSION, "(no policy)", Map.of(), Map.of(), List.of(), List.of());
    }

    /** Reads and validates a policy file; every problem found is in the exception, with its line. */
    public static Policy load(Path file) throws PolicyException, IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Validates policy text; {@code source} names it in messages. */
    public static Policy parse(String yaml, String source) throws PolicyException {
        return new PolicyFile(source).read(yaml);
    }

    public int version() {
        return version;
    }

    public String source() {
        return source;
    }

    public Map<String, Role> roles() {
        return roles;
    }

    public boolean definesRole(String name) {
        return roles.containsKey(name);
    }

    /** Each role to itself followed by every role it inherits, directly or not. */
    Map<String, List<String>> inheritance() {
        return inheritance;
    }

    public List<Rule> denyRules() {
        return denyRules;
    }

    public List<Rule> allowRules() {
        return allowRules;
    }

    public List<PolicyTest> tests() {
        return tests;
    }
}
