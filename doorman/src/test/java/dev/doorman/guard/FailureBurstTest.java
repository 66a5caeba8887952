package dev.doorman.guard;

import dev.doorman.TestServer;
import dev.doorman.testkit.TestHttp;
import dev.doorman.testkit.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;

import static dev.doorman.TestServer.loginJson;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The system-wide failure budget ({@link Limit#LOGIN_FAILURES_GLOBAL}) that makes strangers solve a proof of work
 * during a burst: exact under a race, and not spent by strangers who know the password, wherever the buckets live.
 * Real HTTP, sources told apart through X-Forwarded-For from a trusted proxy.
 */
class FailureBurstTest {
    private static final String LOGIN = "/api/v1/session";
    private TestServer server;
    private TestRedis redis;

    /** Where the buckets live: the server's memory (SQLite), PostgreSQL, Redis. */
    enum Buckets { MEMORY, POSTGRES, REDIS }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        if (redis != null) redis.close();
    }

    private void start(Buckets buckets, UnaryOperator<GuardSettings> guard) {
        var settings = guard.apply(GuardSettings.defaults().withTrustedProxies(List.of("127.0.0.1")));
        if (buckets == Buckets.REDIS) {
            redis = TestRedis.start();
            settings = settings.withStore(GuardSettings.Store.REDIS, Optional.of(redis.url()));
        }
        var guardSettings = settings;
        server = TestServer.start(buckets == Buckets.POSTGRES ? TestServer.Store.POSTGRES : TestServer.Store.SQLITE,
                s -> s.withGuard(guardSettings), b -> b.sleeper(d -> { }));
        assertThat(server.client().get("/health/ready").json().get("rateLimits").asText())
                .startsWith(switch (buckets) { case MEMORY -> "memory"; case POSTGRES -> "postgresql"; case REDIS -> "redis"; });
    }

    private TestHttp.Response login(String ip, String email, String password) {
        return server.clientFrom(ip).postJson(LOGIN, loginJson(email, password));
    }

    private static boolean challenged(TestHttp.Response r) {
        return r.status() == 429 && r.json().path("code").asText().equals("login.challenge_required");
    }

    @ParameterizedTest
    @EnumSource(Buckets.class)
    void loginWhenManyStrangersArriveAtOnceForTheLastFailureLeftThenOnlyOnePasswordIsCheckedAndTheRestMustSolveAProofOfWork(Buckets buckets)
            throws Exception {
        start(buckets, g -> g.withLimit(Limit.LOGIN_FAILURES_GLOBAL, LimitSpec.parse("3/1h")));
        assertThat(login("198.51.100.1", "first@example.org", "guess").status()).isEqualTo(401);
        assertThat(login("198.51.100.2", "second@example.org", "guess").status()).isEqualTo(401);

        int racers = 16;
        var start = new CountDownLatch(1);
        var answers = new ArrayList<Future<TestHttp.Response>>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < racers; i++) {
                int n = i;
                answers.add(pool.submit(() -> {
                    start.await();
                    return login("203.0.113." + (10 + n), "racer" + n + "@example.org", "guess " + n);
                }));
            }
            start.countDown();
        }

        var statuses = new ArrayList<Integer>();
        int challenges = 0;
        for (var answer : answers) {
            var r = answer.get();
            statuses.add(r.status());
            if (challenged(r)) challenges++;
        }
        assertThat(challenges).as("answers: %s", statuses).isEqualTo(racers - 1);
        assertThat(statuses).as("the one let in was checked and failed").containsOnlyOnce(401);
    }

    @ParameterizedTest
    @EnumSource(Buckets.class)
    void loginWhenStrangersGetThePasswordRightThenTheyDoNotSpendTheFailureBudget(Buckets buckets) {
        start(buckets, g -> g.withLimit(Limit.LOGIN_FAILURES_GLOBAL, LimitSpec.parse("2/1h")));
        server.registerVerified("owner@example.org", TestServer.PASSWORD);
        for (int i = 1; i <= 3; i++)
            assertThat(login("192.0.2." + i, "owner@example.org", TestServer.PASSWORD).status()).as("new browser %d", i).isEqualTo(200);

        assertThat(login("198.51.100.1", "first@example.org", "guess").status()).isEqualTo(401);
        assertThat(login("198.51.100.2", "second@example.org", "guess").status()).isEqualTo(401);
        assertThat(challenged(login("198.51.100.3", "third@example.org", "guess"))).as("the budget is spent by failures only").isTrue();
    }
}
