package dev.doorman.authz;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.Map;
import java.util.Objects;

/**
 * A compiled CEL condition. Compiled and type-checked once when the policy loads ({@link Conditions#compile});
 * evaluation only runs the cached program.
 */
public final class Condition {
    private final String expression;
    private final CelRuntime.Program program;

    Condition(String expression, CelRuntime.Program program) {
        this.expression = Objects.requireNonNull(expression);
        this.program = Objects.requireNonNull(program);
    }

    public String expression() {
        return expression;
    }

    /** True, false, or an error message (missing attribute, wrong type at run time, ...). */
    sealed interface Result {
        record True() implements Result {}
        record False() implements Result {}
        record Error(String message) implements Result {}
    }

    Result evaluate(Map<String, Object> variables) {
        try {
            Object value = program.eval(variables);
            if (value instanceof Boolean b) return b ? new Result.True() : new Result.False();
            return new Result.Error("the condition gave " + value.getClass().getSimpleName() + ", not a bool");
        } catch (CelEvaluationException e) {
            return new Result.Error(e.getMessage());
        } catch (RuntimeException e) {
            // A bug or an attribute value CEL cannot hold: still a deny, never an allow.
            return new Result.Error(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return expression;
    }
}
