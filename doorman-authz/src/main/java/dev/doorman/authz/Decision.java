package dev.doorman.authz;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer, with why. {@link #explain()} is filled only by {@link Authorizer#explain}: every role and rule
 * considered, with each condition and what it evaluated to.
 */
public record Decision(boolean allowed, Reason reason, List<Step> explain) {
    public Decision {
        Objects.requireNonNull(reason, "reason");
        explain = List.copyOf(explain);
        if (allowed != (reason instanceof Reason.AllowedByRole || reason instanceof Reason.AllowedByRule)) {
            throw new IllegalArgumentException("reason does not match the decision");
        }
    }

    /** Why the decision came out as it did. {@link #source()} names the role or rule that decided, if one did. */
    public sealed interface Reason {
        String describe();

        default Optional<String> source() {
            return Optional.empty();
        }

        /** A role the subject holds (directly, by binding or by inheritance) has a permission covering the action. */
        record AllowedByRole(String role, String via, Permission permission) implements Reason {
            public String describe() {
                return "allowed: " + via + " grants " + permission;
            }

            public Optional<String> source() {
                return Optional.of(role);
            }
        }

        /** An allow rule matched and its condition (if any) was true. */
        record AllowedByRule(String rule, Optional<String> condition) implements Reason {
            public String describe() {
                return "allowed by rule '" + rule + "'" + condition.map(c -> " (condition true: " + c + ")").orElse("");
            }

            public Optional<String> source() {
                return Optional.of(rule);
            }
        }

        /** A deny rule matched; it overrides every allow. An error in its condition also denies (fail closed). */
        record DeniedByRule(String rule, Optional<String> condition, Optional<String> error) implements Reason {
            public String describe() {
                return error.map(e -> "denied by rule '" + rule + "': its condition failed (" + e + "), which denies")
                        .orElseGet(() -> "denied by rule '" + rule + "'" + condition.map(c -> " (condition true: " + c + ")").orElse(""));
            }

            public Optional<String> source() {
                return Optional.of(rule);
            }
        }

        /** Nothing allowed it: deny by default. */
        record NothingAllowed(String detail) implements Reason {
            public String describe() {
                return "denied: " + detail;
            }
        }

        /** The request could not be decided (action for another resource type, bindings unavailable): deny. */
        record Undecidable(String detail) implements Reason {
            public String describe() {
                return "denied: " + detail;
            }
        }
    }

    /** One line of the explanation: what was considered and what came of it. */
    public record Step(String considered, String outcome) {
        @Override
        public String toString() {
            return considered + ": " + outcome;
        }
    }

    public boolean denied() {
        return !allowed;
    }
}
