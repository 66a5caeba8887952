package dev.doorman;

import dev.doorman.db.Database;
import dev.doorman.db.DbSettings;
import io.javalin.Javalin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class GracefulStopTest {
    @Test
    void stopWhenARequestIsInFlightThenItCompletesBeforeTheServerGoesAway(@TempDir Path dir) throws Exception {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (var db = Database.open(DbSettings.embedded(dir))) {
            db.migrate();
            var doorman = Doorman.builder(DoormanSettings.dev(URI.create("http://127.0.0.1:" + port)), db).build();
            var entered = new CountDownLatch(1);
            Javalin app = Javalin.create(config -> {
                doorman.configureServer(config);
                config.routes.get("/slow", ctx -> {
                    entered.countDown();
                    Thread.sleep(1_000);
                    ctx.result("finished");
                });
            }).start("127.0.0.1", port);

            var http = HttpClient.newHttpClient();
            CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            app.stop();
            doorman.close();

            var response = inFlight.get(5, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("finished");
        }
    }

    @Test
    void startWhenListeningThenTheAcceptQueueHoldsAFloodInsteadOfTheKernelDroppingIt(@TempDir Path dir) throws Exception {
        try (var db = Database.open(DbSettings.embedded(dir))) {
            db.migrate();
            var doorman = Doorman.builder(DoormanSettings.dev(URI.create("http://127.0.0.1:7070")), db).build();
            Javalin app = doorman.createServer().start("127.0.0.1", 0);
            try {
                assertThat(app.jettyServer().server().getConnectors()).isNotEmpty().allSatisfy(c ->
                        assertThat(((org.eclipse.jetty.server.ServerConnector) c).getAcceptQueueSize()).isEqualTo(1024));
            } finally {
                app.stop();
                doorman.close();
            }
        }
    }
}
