package dev.doorman.guard;

import dev.doorman.TestServer;
import dev.doorman.testkit.TestRedis;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Doorman nodes behind one load balancer share their limits: through PostgreSQL when that is the database
 * (Bucket4j's PostgreSQL integration), through Redis when configured. If Redis goes away, every node keeps limiting
 * on its own and says so in its readiness output; when Redis is back, the limits are shared again.
 */
class SharedLimitsTest {
    private static final String LOGIN = "/api/v1/session";
    private static final String WRONG = "{\"email\":\"someone@example.org\",\"password\":\"not the password\"}";

    private static UnaryOperator<dev.doorman.DoormanSettings> limits(GuardSettings.Store store, Optional<String> redis) {
        return s -> s.withGuard(GuardSettings.defaults().withLimit(Limit.LOGIN_SOURCE, LimitSpec.parse("4/1h")).withStore(store, redis));
    }

    @Test
    void loginLimitWhenTwoNodesShareOnePostgresThenAttemptsOnEitherNodeCountAgainstOneBucket() {
        try (var a = TestServer.start(TestServer.Store.POSTGRES, limits(GuardSettings.Store.AUTO, Optional.empty()));
             var b = TestServer.startNode(a, limits(GuardSettings.Store.AUTO, Optional.empty()))) {
            assertThat(a.client().get("/health/ready").json().get("rateLimits").asText()).isEqualTo("postgresql");
            for (int i = 0; i < 2; i++) {
                assertThat(a.client().postJson(LOGIN, WRONG).status()).isEqualTo(401);
                assertThat(b.client().postJson(LOGIN, WRONG).status()).isEqualTo(401);
            }
            assertThat(a.client().postJson(LOGIN, WRONG).status()).isEqualTo(429);
            assertThat(b.client().postJson(LOGIN, WRONG).status()).isEqualTo(429);

            // Both nodes read time from their own clock; the bucket refills for whichever asks after the window.
            a.clock.advance(Duration.ofMinutes(15));
            b.clock.advance(Duration.ofMinutes(15));
            assertThat(b.client().postJson(LOGIN, WRONG).status()).isEqualTo(401);
        }
    }

    @Test
    void loginLimitWhenTwoNodesShareRedisThenSharedAndWhenRedisStopsEachNodeLimitsAloneSaysSoAndRecovers() throws InterruptedException {
        try (var redis = TestRedis.start();
             var a = TestServer.start(TestServer.Store.SQLITE, limits(GuardSettings.Store.REDIS, Optional.of(redis.url())));
             var b = TestServer.start(TestServer.Store.SQLITE, limits(GuardSettings.Store.REDIS, Optional.of(redis.url())))) {
            assertThat(a.client().get("/health/ready").json().get("rateLimits").asText()).isEqualTo("redis (shared by every node)");
            for (int i = 0; i < 2; i++) {
                assertThat(a.client().postJson(LOGIN, WRONG).status()).isEqualTo(401);
                assertThat(b.client().postJson(LOGIN, WRONG).status()).isEqualTo(401);
            }
            assertThat(b.client().postJson(LOGIN, WRONG).status()).isEqualTo(429);

            redis.stop();
            // Still serving, still limiting: node a alone admits its own 4, then refuses.
            for (int i = 0; i < 4; i++) assertThat(a.client().postJson(LOGIN, WRONG).status()).isEqualTo(401);
            assertThat(a.client().postJson(LOGIN, WRONG).status()).isEqualTo(429);
            var ready = a.client().get("/health/ready");
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.json().get("rateLimits").asText()).startsWith("memory (this node only: redis unreachable)");

            redis.startAgain();
            // Lettuce reconnects in the background; each failed try pauses the shared store for 5 s of the node's clock.
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int status;
            do {
                a.clock.advance(Duration.ofSeconds(6)); // past the retry pause; a token refills only every 15 minutes
                status = a.client().postJson(LOGIN, WRONG).status();
                if (status == 401) break;
                Thread.sleep(200);
            } while (System.nanoTime() < deadline);
            assertThat(status).as("a fresh, empty Redis admits again").isEqualTo(401);
            assertThat(a.client().get("/health/ready").json().get("rateLimits").asText()).isEqualTo("redis (shared by every node)");
        }
    }
}
