package dev.doorman.resource.javalin;

import dev.doorman.resource.JwtAccessTokenVerifier;
import dev.doorman.resource.TestIssuers;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Javalin adapter over real HTTP: the exact status codes and {@code WWW-Authenticate} headers of RFC 6750 §3,
 * and checks that run before the handler, so a refused request never reaches it (and never writes).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResourceGuardTest {
    record Task(String id, String owner) { }

    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger handlerRuns = new AtomicInteger();
    private final AtomicInteger writes = new AtomicInteger();
    private TestIssuers.Handle issuer;
    private JwtAccessTokenVerifier verifier;
    private Javalin app;
    private String base;

    @BeforeAll
    void start() {
        issuer = TestIssuers.start();
        verifier = issuer.verifier();
        var tasks = Map.of("t1", new Task("t1", "alice"), "t2", new Task("t2", "bob"));
        var guard = ResourceGuard.of(verifier, Optional.empty(),
                (subject, action, resource) -> action.equals("task:update") && resource instanceof Task t && t.owner().equals(subject.id()));
        app = Javalin.create(config -> {
            config.routes.before("/tasks/*", guard.requireScope("tasks:read"));
            config.routes.before("/admin/*", guard.requireRole("admin"));
            config.routes.get("/tasks/mine", ctx -> {
                handlerRuns.incrementAndGet();
                ctx.result("tasks of " + ResourceGuard.subject(ctx).id());
            });
            config.routes.post("/tasks/{id}", ctx -> {
                Task task = tasks.get(ctx.pathParam("id"));
                guard.authorize(ctx, "task:update", task);
                writes.incrementAndGet();
                ctx.status(204);
            });
            config.routes.before("/write/*", guard.requireScope("tasks:read", "tasks:write"));
            config.routes.post("/write/now", ctx -> {
                writes.incrementAndGet();
                ctx.status(204);
            });
            config.routes.get("/admin/stats", ctx -> {
                handlerRuns.incrementAndGet();
                ctx.result("stats");
            });
            config.routes.get("/public", ctx -> ctx.result("hello"));
            config.routes.post("/unguarded/{id}", ctx -> {        // no before-handler: authorize authenticates itself
                guard.authorize(ctx, "task:update", tasks.get(ctx.pathParam("id")));
                writes.incrementAndGet();
                ctx.status(204);
            });
        }).start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + app.port();
    }

    @AfterAll
    void stop() {
        app.stop();
        verifier.close();
        issuer.close();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (headers.length > 0) request.headers(headers);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> challenges(HttpResponse<?> response) {
        return response.headers().allValues("WWW-Authenticate");
    }

    @Test
    void requestWhenNoTokenThen401WithBareBearerChallengeAndTheHandlerNeverRuns() throws Exception {
        int runs = handlerRuns.get();
        var response = get("/tasks/mine");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(challenges(response)).containsExactly("Bearer");
        assertThat(handlerRuns.get()).isEqualTo(runs);
        assertThat(get("/public").statusCode()).as("unguarded routes stay open").isEqualTo(200);
    }

    @Test
    void requestWhenTokenIsInvalidThen401InvalidTokenWithoutAnyDetail() throws Exception {
        var expired = issuer.claims();
        expired.put("exp", issuer.now() - 3600);
        expired.put("iat", issuer.now() - 4000);
        expired.put("nbf", issuer.now() - 4000);
        for (String token : List.of("garbage", issuer.rs256(expired), issuer.rs256(issuer.claims()) + "x")) {
            var response = get("/tasks/mine", "Authorization", "Bearer " + token);
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(challenges(response)).containsExactly("Bearer error=\"invalid_token\"");
            assertThat(response.body()).isEqualTo("{\"error\":\"invalid_token\"}");
        }
    }

    @Test
    void requestWhenTokenIsValidThenTheHandlerSeesTheSubject() throws Exception {
        var response = get("/tasks/mine", "Authorization", "bearer " + issuer.rs256(issuer.claims()));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("tasks of " + issuer.claims().get("sub"));
    }

    @Test
    void requestWhenAScopeIsMissingThen403InsufficientScopeNamingEveryScopeNeededAndNothingIsWritten() throws Exception {
        int before = writes.get();
        var response = post("/write/now", issuer.rs256(issuer.claims()));
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(challenges(response)).containsExactly("Bearer error=\"insufficient_scope\", scope=\"tasks:read tasks:write\"");
        assertThat(writes.get()).isEqualTo(before);

        var claims = issuer.claims();
        claims.put("scope", "tasks:read tasks:write");
        assertThat(post("/write/now", issuer.rs256(claims)).statusCode()).isEqualTo(204);
        assertThat(writes.get()).isEqualTo(before + 1);
    }

    @Test
    void requestWhenARoleIsMissingThen403AndWithTheRoleThen200() throws Exception {
        var response = get("/admin/stats", "Authorization", "Bearer " + issuer.rs256(issuer.claims()));
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(challenges(response)).containsExactly("Bearer error=\"insufficient_scope\"");
        var admin = issuer.claims();
        admin.put("roles", List.of("member", "admin"));
        assertThat(get("/admin/stats", "Authorization", "Bearer " + issuer.rs256(admin)).statusCode()).isEqualTo(200);
    }

    @Test
    void authorizeWhenTheDeciderDeniesThen403BeforeAnyWriteAndWhenItAllowsThenTheHandlerWrites() throws Exception {
        var alice = issuer.claims();
        alice.put("sub", "alice");
        int before = writes.get();
        var denied = post("/tasks/t2", issuer.rs256(alice));
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(challenges(denied)).containsExactly("Bearer error=\"insufficient_scope\"");
        assertThat(writes.get()).isEqualTo(before);
        assertThat(post("/tasks/t1", issuer.rs256(alice)).statusCode()).isEqualTo(204);
        assertThat(writes.get()).isEqualTo(before + 1);
    }

    @Test
    void authorizeWhenNoBeforeHandlerRanThenItAuthenticatesItselfAndAnAnonymousCallerGets401BeforeAnyWrite() throws Exception {
        int before = writes.get();
        var anonymous = http.send(HttpRequest.newBuilder(URI.create(base + "/unguarded/t1")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(challenges(anonymous)).containsExactly("Bearer");
        var invalid = post("/unguarded/t1", "garbage");
        assertThat(invalid.statusCode()).isEqualTo(401);
        assertThat(challenges(invalid)).containsExactly("Bearer error=\"invalid_token\"");
        assertThat(writes.get()).isEqualTo(before);
        var alice = issuer.claims();
        alice.put("sub", "alice");
        assertThat(post("/unguarded/t1", issuer.rs256(alice)).statusCode()).isEqualTo(204);
        assertThat(writes.get()).isEqualTo(before + 1);
    }

    @Test
    void requestWhenTwoAuthorizationHeadersThen400InvalidRequest() throws Exception {
        String token = issuer.rs256(issuer.claims());
        var response = get("/tasks/mine", "Authorization", "Bearer " + token, "Authorization", "Bearer " + token);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(challenges(response)).containsExactly("Bearer error=\"invalid_request\"");
    }

    @Test
    void requestWhenTheTokenComesInTheQueryOrWithAnotherSchemeThenItIsIgnored() throws Exception {
        String token = issuer.rs256(issuer.claims());
        var inQuery = get("/tasks/mine?access_token=" + token);
        assertThat(inQuery.statusCode()).isEqualTo(401);
        assertThat(challenges(inQuery)).containsExactly("Bearer");
        var basic = get("/tasks/mine", "Authorization", "Basic dXNlcjpwYXNz");
        assertThat(basic.statusCode()).isEqualTo(401);
        assertThat(challenges(basic)).containsExactly("Bearer");
    }

    @Test
    void requestWhenTheIssuerCannotBeReachedThen503WithRetryAfterAndTheHandlerNeverRuns() throws Exception {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        var down = JwtAccessTokenVerifier.builder(URI.create("http://127.0.0.1:" + closedPort), "https://tasks.example.org")
                .advanced(a -> a.timeouts(Duration.ofMillis(500), Duration.ofSeconds(1))).build();
        var guard = ResourceGuard.of(down, Optional.of("tasks"), (s, a, r) -> true);
        var runs = new AtomicInteger();
        var other = Javalin.create(config -> {
            config.routes.before("/tasks/*", guard.requireScope("tasks:read"));
            config.routes.get("/tasks/mine", ctx -> runs.incrementAndGet());
        }).start("127.0.0.1", 0);
        try {
            var claims = issuer.claims();
            claims.put("iss", "http://127.0.0.1:" + closedPort);
            var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + other.port() + "/tasks/mine"))
                    .header("Authorization", "Bearer " + issuer.rs256(claims)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).contains("5");
            assertThat(runs.get()).isZero();

            var missing = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + other.port() + "/tasks/mine")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(challenges(missing)).as("with a realm").containsExactly("Bearer realm=\"tasks\"");
            var invalid = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + other.port() + "/tasks/mine"))
                    .header("Authorization", "Bearer x").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(challenges(invalid)).containsExactly("Bearer realm=\"tasks\", error=\"invalid_token\"");
        } finally {
            other.stop();
            down.close();
        }
    }

    @Test
    void requireScopeWhenGivenSomethingThatIsNoScopeTokenThenRefusedAtWiring() {
        var guard = ResourceGuard.of(verifier);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> guard.requireScope("tasks read\"")).isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(guard::requireScope).isInstanceOf(IllegalArgumentException.class);
    }
}
