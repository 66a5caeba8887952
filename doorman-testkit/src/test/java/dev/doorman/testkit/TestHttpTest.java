package dev.doorman.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TestHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;
    private TestHttp http;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/login", exchange -> {
            exchange.getResponseHeaders().add("Set-Cookie", "session=s1; Path=/; HttpOnly; Secure; SameSite=Lax");
            exchange.getResponseHeaders().add("Set-Cookie", "theme=dark; Max-Age=3600");
            respond(exchange, 200, "text/html; charset=UTF-8", """
                    <form method="post" action="/login">
                      <input type="text" name="email" value="">
                      <input type="hidden" value="a+b/c&amp;d=" name="csrf">
                    </form>""");
        });
        server.createContext("/logout", exchange -> {
            exchange.getResponseHeaders().add("Set-Cookie", "session=; Path=/; Max-Age=0; Secure");
            exchange.getResponseHeaders().add("Set-Cookie", "theme=; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
            exchange.getResponseHeaders().add("Location", "/login");
            respond(exchange, 302, "text/plain", "");
        });
        server.createContext("/echo", exchange -> {
            ObjectNode echo = JSON.createObjectNode()
                    .put("method", exchange.getRequestMethod())
                    .put("path", exchange.getRequestURI().getRawPath())
                    .put("cookie", exchange.getRequestHeaders().getFirst("Cookie"))
                    .put("csrf", exchange.getRequestHeaders().getFirst("X-CSRF-Token"))
                    .put("origin", exchange.getRequestHeaders().getFirst("Origin"))
                    .put("contentType", exchange.getRequestHeaders().getFirst("Content-Type"))
                    .put("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            respond(exchange, 200, "application/json", JSON.writeValueAsString(echo));
        });
        server.start();
        http = new TestHttp("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void keepsSecureCookiesOverPlainHttpAndForgetsDeletedOnes() {
        TestHttp.Response login = http.get("/login");

        assertThat(login.status()).isEqualTo(200);
        assertThat(login.setCookies()).hasSize(2);
        assertThat(http.cookies()).containsExactly(Map.entry("session", "s1"), Map.entry("theme", "dark"));
        assertThat(http.get("/echo").json().get("cookie").asText()).isEqualTo("session=s1; theme=dark");

        TestHttp.Response logout = http.get("/logout");

        assertThat(logout.status()).isEqualTo(302);
        assertThat(logout.location()).contains("/login");
        assertThat(http.cookies()).isEmpty();
        assertThat(http.get("/echo").json().get("cookie").isNull()).isTrue();
    }

    @Test
    void extractsTheCsrfFieldWhateverTheAttributeOrder() {
        assertThat(http.get("/login").csrfField()).isEqualTo("a+b/c&d=");

        TestHttp.Response noForm = http.get("/echo");
        assertThatThrownBy(noForm::csrfField)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("\"method\":\"GET\"");
    }

    @Test
    void postsFormsAndJsonWithDefaultHeaders() {
        http.setHeader("X-CSRF-Token", "t0k");
        http.setHeader("Origin", "http://127.0.0.1");
        http.setCookie("session", "forged");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("email", "zoë+1@example.test");
        fields.put("password", "a b&c=d");

        var form = http.postForm("/echo", fields).json();

        assertThat(form.get("method").asText()).isEqualTo("POST");
        assertThat(form.get("contentType").asText()).startsWith("application/x-www-form-urlencoded");
        assertThat(form.get("body").asText()).isEqualTo("email=zo%C3%AB%2B1%40example.test&password=a+b%26c%3Dd");
        assertThat(form.get("csrf").asText()).isEqualTo("t0k");
        assertThat(form.get("origin").asText()).isEqualTo("http://127.0.0.1");
        assertThat(form.get("cookie").asText()).isEqualTo("session=forged");

        http.clearHeader("X-CSRF-Token");
        var json = http.postJson("/echo", "{\"a\":1}").json();
        assertThat(json.get("contentType").asText()).isEqualTo("application/json");
        assertThat(json.get("body").asText()).isEqualTo("{\"a\":1}");
        assertThat(json.get("csrf").isNull()).isTrue();

        assertThat(http.deleteJson("/echo/42").json().get("method").asText()).isEqualTo("DELETE");

        http.clearCookies();
        assertThat(http.cookies()).isEmpty();
    }

    @Test
    void customRequestsGetCookiesAndDefaultsButKeepTheirOwnHeaders() {
        http.setHeader("Origin", "http://default.test");
        http.setCookie("session", "s9");

        var echo = http.send(http.request("/echo")
                        .header("Origin", "http://explicit.test")
                        .PUT(HttpRequest.BodyPublishers.ofString("x")))
                .json();

        assertThat(echo.get("method").asText()).isEqualTo("PUT");
        assertThat(echo.get("origin").asText()).isEqualTo("http://explicit.test");
        assertThat(echo.get("cookie").asText()).isEqualTo("session=s9");
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
