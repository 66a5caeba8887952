package dev.doorman;

import dev.doorman.db.Database;
import dev.doorman.db.DbSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTest {
    @Test
    void serverStartsAndRegisters(@TempDir Path dir) throws Exception {
        var db = Database.open(DbSettings.embedded(dir));
        db.migrate();
        int port;
        try (var s = new java.net.ServerSocket(0)) { port = s.getLocalPort(); }
        var doorman = Doorman.builder(DoormanSettings.dev(URI.create("http://127.0.0.1:" + port)), db).build();
        var app = doorman.createServer().start("127.0.0.1", port);
        try {
            var http = HttpClient.newHttpClient();
            var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/accounts"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"a@example.org\",\"password\":\"correct horse battery staple\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            System.out.println(r.statusCode() + " " + r.headers().map() + " " + r.body());
            assertThat(r.statusCode()).isEqualTo(202);
            var page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login")).build(), HttpResponse.BodyHandlers.ofString());
            System.out.println(page.statusCode() + " " + page.headers().map() + "\n" + page.body());
            Thread.sleep(300);
            var outbox = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/dev/outbox")).build(), HttpResponse.BodyHandlers.ofString());
            System.out.println(outbox.body());
            var nf = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/nope")).build(), HttpResponse.BodyHandlers.ofString());
            System.out.println(nf.statusCode() + " " + nf.body());
            var tr = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login")).method("TRACE", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            System.out.println("TRACE " + tr.statusCode() + " " + tr.body());
            var bad = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/accounts"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"email\":1")).build(), HttpResponse.BodyHandlers.ofString());
            System.out.println(bad.statusCode() + " " + bad.body());
        } finally {
            app.stop();
            doorman.close();
            db.close();
        }
    }
}
