package dev.doorman.server;

import java.util.List;

/**
 * The configuration cannot be used. Each problem names the YAML key or environment variable it is about, e.g.
 * {@code session.idleTimeout: "abc" is not a duration (use 30m, 12h or PT30M)}.
 */
public final class ConfigException extends RuntimeException {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(describe(problems));
        if (problems.isEmpty()) throw new IllegalArgumentException("a configuration error needs at least one problem");
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String problem) {
        this(List.of(problem));
    }

    public List<String> problems() {
        return problems;
    }

    private static String describe(List<String> problems) {
        if (problems.size() == 1) return problems.getFirst();
        return problems.size() + " configuration problems:\n  - " + String.join("\n  - ", problems);
    }
}
