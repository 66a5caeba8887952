package dev.doorman.examples.tasksapi;

import dev.doorman.examples.tasksapi.Api.Reply;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When Doorman cannot be reached the API fails closed with a clean 503 (Retry-After), never accepting a token it
 * cannot check and never telling a client with a possibly good token to re-authenticate.
 */
class TasksApiFailClosedTest {
    @Test
    void whenDoormanGoesAwayTokensAreRefusedWith503OnceTheRevocationListIsTooOld() throws Exception {
        var doorman = new DoormanFixture();
        TasksApi.Running running = null;
        try {
            running = TasksApi.start(settings(doorman.issuer()), Clock.systemUTC());
            var api = new Api(running.port());
            String token = doorman.clientToken(doorman.bot, "tasks:read tasks:write");
            assertThat(api.get("/api/projects", token).status()).isEqualTo(200);

            doorman.close();
            // The last revocation list stays in force for 4 poll intervals (4 s here); then the API cannot know.
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            Reply reply = api.get("/api/projects", token);
            while (reply.status() == 200 && System.nanoTime() < deadline) {
                Thread.sleep(250);
                reply = api.get("/api/projects", token);
            }
            assertUnavailable(reply);
            assertUnavailable(api.send("POST", "/api/projects", token, "{\"name\":\"While Doorman is away\"}"));
        } finally {
            if (running != null) running.close();
            doorman.close();
        }
    }

    @Test
    void startedWhileDoormanIsDownItAnswers503ForTokensAnd401WithoutOne() throws Exception {
        var elsewhere = new DoormanFixture();   // a token from a Doorman this API cannot reach
        try (var running = TasksApi.start(settings(URI.create("http://127.0.0.1:" + freePort())), Clock.systemUTC())) {
            var api = new Api(running.port());
            assertUnavailable(api.get("/api/projects", elsewhere.clientToken(elsewhere.bot, "tasks:read")));
            assertThat(api.get("/api/projects", null).status()).isEqualTo(401);
        } finally {
            elsewhere.close();
        }
    }

    private static void assertUnavailable(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(503);
        assertThat(reply.header("Retry-After")).isPresent();
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.json().get("code").asText()).isEqualTo("service.unavailable");
    }

    private static TasksSettings settings(URI issuer) throws IOException {
        return new TasksSettings(issuer, DoormanFixture.API, "127.0.0.1", 0, Files.createTempDirectory("tasks-api-test").resolve("tasks.db"),
                TasksSettings.DEFAULT_ADMIN_ROLE, Optional.empty(), Duration.ofSeconds(1));
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
