package dev.doorman.examples.payments;

import dev.doorman.authz.Subject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static dev.doorman.examples.payments.PaymentsApiTest.LIMIT;
import static dev.doorman.examples.payments.PaymentsApiTest.assertProblem;
import static dev.doorman.examples.payments.PaymentsApiTest.body;
import static dev.doorman.examples.payments.PaymentsApiTest.pay;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The step-up path through the {@link StepUpEvidence} extension point, with the evidence the MFA feature will supply
 * (amr with a second factor, authTime of that factor) set by the test, over the real app, Doorman and policy file.
 */
class PaymentsStepUpTest {
    static final AtomicReference<Set<String>> AMR = new AtomicReference<>(Set.of("pwd"));
    static final AtomicReference<Duration> FACTOR_AGE = new AtomicReference<>(Duration.ZERO);
    static PaymentsApp app;
    static String base;

    @BeforeAll
    static void start() throws IOException {
        int port = PaymentsApiTest.freePort();
        base = "http://127.0.0.1:" + port;
        app = PaymentsApp.start(new PaymentsSettings(port, URI.create(base), Files.createTempDirectory("payments-stepup"), LIMIT, Optional.empty()),
                doorman -> ctx -> doorman.subject(ctx).map(s -> new Subject(s.id(), s.kind(), s.roles(), s.scopes(), s.attributes(),
                        Optional.of(Instant.now().minus(FACTOR_AGE.get())), AMR.get())));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void overTheLimitWhenTheSecondFactorIsRecentThen201AndWhenOldOrAbsentThen403() {
        var ada = PaymentsApiTest.payer(app, base, "ada.stepup@example.org");

        AMR.set(Set.of("pwd"));
        FACTOR_AGE.set(Duration.ofSeconds(10));
        assertProblem(pay(ada.http(), UUID.randomUUID().toString(), body(ada.account(), LIMIT + 1)), 403, "payments.approval_required");

        AMR.set(Set.of("pwd", "otp"));
        FACTOR_AGE.set(Duration.ofMinutes(6));
        assertProblem(pay(ada.http(), UUID.randomUUID().toString(), body(ada.account(), LIMIT + 1)), 403, "payments.approval_required");

        FACTOR_AGE.set(Duration.ofMinutes(4));
        var paid = pay(ada.http(), UUID.randomUUID().toString(), body(ada.account(), LIMIT + 1));
        assertThat(paid.status()).as(paid.body()).isEqualTo(201);

        AMR.set(Set.of("hwk"));
        FACTOR_AGE.set(Duration.ofSeconds(1));
        assertThat(pay(ada.http(), UUID.randomUUID().toString(), body(ada.account(), LIMIT * 3)).status()).isEqualTo(201);
        assertThat(app.store().paymentsOf(ada.id())).hasSize(2);
    }
}
