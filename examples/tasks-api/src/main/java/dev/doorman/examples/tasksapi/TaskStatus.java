package dev.doorman.examples.tasksapi;

import java.util.Optional;

/** Where a task stands. Any status may follow any other: a done task can be reopened. */
public enum TaskStatus {
    TODO("todo"), DOING("doing"), DONE("done");

    private final String wire;

    TaskStatus(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<TaskStatus> parse(String text) {
        for (TaskStatus status : values()) if (status.wire.equals(text)) return Optional.of(status);
        return Optional.empty();
    }
}
