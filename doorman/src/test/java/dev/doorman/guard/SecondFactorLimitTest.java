package dev.doorman.guard;

import dev.doorman.TestServer;
import dev.doorman.audit.AuditType;
import dev.doorman.mfa.MfaPaths;
import dev.doorman.mfa.PasskeyEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** RL-05: second-factor attempts are rate-limited per source like logins, on every endpoint that checks one. */
class SecondFactorLimitTest {
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    @Test
    void secondFactorEndpointsWhenOneSourceExceedsItsBudgetThen429WithRetryAfterUntilTheBucketRefills() {
        server = TestServer.start(TestServer.Store.SQLITE, s -> s.withGuard(TestServer.RELAXED_GUARD
                .withLimit(Limit.MFA_SOURCE, LimitSpec.parse("3/1m"))));
        var http = server.client();
        for (String path : List.of(MfaPaths.API_CHALLENGE, MfaPaths.API_STEP_UP, PasskeyEndpoint.API_AUTHENTICATE)) {
            // The budget is shared by the endpoints: whatever each answers on its own, it is never 429 within it.
            assertThat(http.postJson(path, "{\"code\":\"123456\"}").status()).as(path).isNotEqualTo(429);
        }
        var limited = http.postJson(MfaPaths.API_CHALLENGE, "{\"code\":\"123456\"}");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("Retry-After")).isPresent();
        assertThat(limited.header("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(http.postJson(PasskeyEndpoint.API_OPTIONS, "{\"purpose\":\"passwordless\"}").status()).isEqualTo(429);
        assertThat(server.doorman.auditTrail().recent(10)).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(AuditType.RATE_LIMITED);
            assertThat(e.reason()).contains(Limit.MFA_SOURCE.wireName());
        });

        server.clock.advance(Duration.ofMinutes(1));
        assertThat(http.postJson(MfaPaths.API_CHALLENGE, "{\"code\":\"123456\"}").status()).as("refilled").isNotEqualTo(429);
    }
}
