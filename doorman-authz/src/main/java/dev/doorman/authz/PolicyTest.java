package dev.doorman.authz;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A test case carried by a policy file: a request, the bindings in force, and the decision expected (and
 * optionally which role or rule must have decided it).
 */
public record PolicyTest(String name, int line, AccessRequest request, List<RoleBinding> bindings, Optional<Instant> now,
                         boolean expectAllowed, Optional<String> expectedSource) {
    public PolicyTest {
        bindings = List.copyOf(bindings);
    }
}
