package dev.doorman.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServeTest {
    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Timeout(60)
    void serveWhenStartedThenReadyAnswers200AndShutdownHookStopsItCleanly(@TempDir Path dir) throws Exception {
        int port = freePort();
        var cli = new Cli(dir.resolve("data")).env("DOORMAN_HTTP_PORT", String.valueOf(port));
        CompletableFuture<Cli.Result> serving = CompletableFuture.supplyAsync(() -> cli.run("serve"));
        String base = "http://127.0.0.1:" + port;
        var http = HttpClient.newHttpClient();

        HttpResponse<String> ready = null;
        for (int i = 0; i < 300 && ready == null; i++) {
            try {
                ready = get(http, base + "/health/ready");
            } catch (ConnectException notYet) {
                assertThat(serving).isNotDone();
                Thread.sleep(50);
            }
        }

        assertThat(ready).isNotNull();
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("ready");
        assertThat(cli.shutdownHooks).hasSize(1);

        cli.shutdownHooks.getFirst().run();
        Cli.Result result = serving.get(20, TimeUnit.SECONDS);

        assertThat(result.exitCode()).isZero();
        // How many migrations a fresh database gets grows with every feature; the line's shape is what matters here.
        assertThat(result.out()).matches(java.util.regex.Pattern.quote("Doorman is running at http://localhost:" + port + " (dev mode, SQLite at "
                + dir.resolve("data/doorman.db").toAbsolutePath() + ", listening on 127.0.0.1:" + port + ", ")
                + "[1-9][0-9]* migrations? applied\\)\nDoorman stopped\n");
        assertThatThrownBy(() -> get(http, base + "/health/live")).isInstanceOf(ConnectException.class);
    }

    @Test
    @Timeout(60)
    void serveWhenPortTakenThenExit1WithOneLine(@TempDir Path dir) throws Exception {
        try (var taken = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            var result = new Cli(dir.resolve("data")).env("DOORMAN_HTTP_PORT", String.valueOf(taken.getLocalPort())).run("serve");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).startsWith("doorman: cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }
}
