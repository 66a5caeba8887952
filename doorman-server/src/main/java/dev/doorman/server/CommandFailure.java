package dev.doorman.server;

/** An expected failure of a command: Main prints the message as one line (no stack trace) and exits with the code. */
final class CommandFailure extends RuntimeException {
    private final int exitCode;

    CommandFailure(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    /** Something went wrong at run time (exit code 1). */
    static CommandFailure failed(String message) {
        return new CommandFailure(message, Main.EXIT_FAILURE);
    }

    /** The configuration is not acceptable (exit code 2). */
    static CommandFailure refused(String message) {
        return new CommandFailure(message, Main.EXIT_USAGE);
    }

    int exitCode() {
        return exitCode;
    }
}
