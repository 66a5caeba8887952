package dev.doorman.authz;

import java.util.List;
import java.util.stream.Collectors;

/** A policy file that cannot be loaded: every problem found, each with its line. */
public final class PolicyException extends Exception {
    private final List<Problem> problems;

    PolicyException(String source, List<Problem> problems) {
        super("invalid policy " + source + ":\n" + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    /** One problem: where (1-based line and column; -1 when unknown) and what. */
    public record Problem(int line, int column, String message) {
        @Override
        public String toString() {
            return line < 0 ? message : "line " + line + (column > 0 ? ":" + column : "") + ": " + message;
        }
    }
}
