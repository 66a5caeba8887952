package dev.doorman.provisioning;

import java.util.List;

/**
 * A provisioning file that cannot be imported: malformed, or asking for something the policy or the database does not
 * allow. Each problem names where it is in the file, e.g. {@code users[2].pasword: unknown field}. Nothing was written.
 */
public final class ImportFileException extends RuntimeException {
    /** @param path where in the file, e.g. {@code users[2].roles[0]}; empty for the file as a whole */
    public record Problem(String path, String message) {
        @Override
        public String toString() {
            return path.isEmpty() ? message : path + ": " + message;
        }
    }

    private final List<Problem> problems;

    public ImportFileException(List<Problem> problems) {
        super(describe(problems));
        if (problems.isEmpty()) throw new IllegalArgumentException("an import failure needs at least one problem");
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String describe(List<Problem> problems) {
        if (problems.size() == 1) return problems.getFirst().toString();
        var text = new StringBuilder(problems.size() + " problems in the import file:");
        for (Problem p : problems) text.append("\n  ").append(p);
        return text.toString();
    }
}
