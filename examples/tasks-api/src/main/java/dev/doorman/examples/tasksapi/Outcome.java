package dev.doorman.examples.tasksapi;

/**
 * What a request to {@link TasksService} came to. Refusals change nothing. {@link NotFound} is also the answer for
 * what exists but the caller may not see, so ids are no oracle; {@link Forbidden} is for what the caller can see but
 * may not do.
 */
public sealed interface Outcome<T> {
    record Done<T>(T value) implements Outcome<T> { }

    record Created<T>(T value) implements Outcome<T> { }

    record NotFound<T>(String what) implements Outcome<T> { }

    /** @param action the action the policy refused, e.g. {@code task:assign} */
    record Forbidden<T>(String action) implements Outcome<T> { }

    /** Well-formed but impossible here, e.g. assigning a task to someone outside its project (422). */
    record Unprocessable<T>(String code, String detail) implements Outcome<T> { }
}
