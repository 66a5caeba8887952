package dev.doorman.examples;

import dev.doorman.testkit.TestHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class EmbedInYourAppTest {
    @Test
    void embeddedAppWhenUserLogsInThenItsOwnHandlersKnowWhoIsCallingAndItsPostsNeedTheCsrfToken(@TempDir Path dir) throws Exception {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        var app = EmbedInYourApp.start(port, dir);
        try {
            var http = new TestHttp("http://127.0.0.1:" + port);
            assertThat(http.get("/hello").body()).startsWith("Hello, stranger");

            var registered = http.postJson("/api/v1/accounts", "{\"email\":\"embed@example.org\",\"password\":\"correct horse battery staple\"}");
            assertThat(registered.status()).isEqualTo(202);
            // The example uses dev defaults (verified e-mail required, dev outbox): confirm through the outbox page.
            // Mail goes out asynchronously (EN-03), so wait for it to arrive.
            String outbox = http.get("/dev/outbox").body();
            for (long deadline = System.nanoTime() + 10_000_000_000L; !outbox.contains("verify-email?token=") && System.nanoTime() < deadline; ) {
                Thread.sleep(20);
                outbox = http.get("/dev/outbox").body();
            }
            String token = outbox.replaceAll("(?s).*verify-email\\?token=([A-Za-z0-9_-]{43}).*", "$1");
            assertThat(http.postJson("/api/v1/accounts/verify", "{\"token\":\"" + token + "\"}").status()).isEqualTo(204);

            var login = http.postJson("/api/v1/session", "{\"email\":\"embed@example.org\",\"password\":\"correct horse battery staple\"}");
            assertThat(login.status()).isEqualTo(200);
            assertThat(http.get("/hello").body()).isEqualTo("Hello, embed@example.org!");

            assertThat(http.send(http.request("/notes").POST(java.net.http.HttpRequest.BodyPublishers.noBody())).status())
                    .as("the app's own POST without the CSRF token").isEqualTo(403);
            http.setHeader("X-CSRF-Token", login.json().get("csrfToken").asText());
            assertThat(http.send(http.request("/notes").POST(java.net.http.HttpRequest.BodyPublishers.noBody())).status()).isEqualTo(201);
        } finally {
            app.stop();
        }
    }
}
