package dev.doorman.web;

import dev.doorman.TestServer;
import dev.doorman.testkit.TestHttp;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** HD-01..04 and CS-02's Vary, across the whole route inventory, on a dev-mode server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityHeadersTest {
    static final Set<String> STRICT_REFERRER_POLICIES = Set.of("no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin");
    static final List<String> LEAKS = List.of("Exception", "at java.", "at io.javalin", "org.jdbi", "SQL", "org.postgresql", "org.sqlite",
            "com.fasterxml", "org.eclipse.jetty", "Caused by");
    private static final Pattern INLINE_HANDLER = Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE);

    private TestServer server;
    private List<HeaderSweep.Exchange> sweep;

    @BeforeAll
    void startServerAndSweep() {
        server = TestServer.start(TestServer.Store.SQLITE);
        String email = "sweep-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        server.registerVerified(email, TestServer.PASSWORD);
        sweep = HeaderSweep.run(server, email, TestServer.PASSWORD);
    }

    @AfterAll
    void stopServer() {
        server.close();
    }

    static boolean isHtml(TestHttp.Response r) {
        return r.header("Content-Type").orElse("").toLowerCase(Locale.ROOT).startsWith("text/html");
    }

    /** The header checks every response must pass; HSTS is checked by the callers (present in production, absent in dev). */
    static void assertSecurityHeaders(SoftAssertions soft, HeaderSweep.Exchange e) {
        var r = e.response();
        soft.assertThat(r.headers().allValues("X-Content-Type-Options")).as("nosniff: %s", e).containsExactly("nosniff");
        String csp = r.header("Content-Security-Policy").orElse("");
        soft.assertThat(csp).as("CSP: %s", e).contains("frame-ancestors 'none'").contains("object-src 'none'").contains("base-uri 'none'")
                .contains("default-src 'none'").doesNotContain("unsafe-inline").doesNotContain("unsafe-eval").doesNotContain("*");
        soft.assertThat(r.headers().allValues("X-Frame-Options")).as("XFO: %s", e).containsExactly("DENY");
        soft.assertThat(r.headers().allValues("Referrer-Policy")).as("Referrer-Policy: %s", e).hasSize(1)
                .isSubsetOf(STRICT_REFERRER_POLICIES);
        soft.assertThat(r.header("Vary").orElse("")).as("Vary: %s", e).contains("Origin").contains("Sec-Fetch-Site");
        String cacheControl = r.header("Cache-Control").orElse("");
        if (e.path().startsWith("/assets/")) {
            soft.assertThat(cacheControl).as("stylesheet: %s", e).doesNotContain("private");
        } else if (e.path().equals("/.well-known/jwks.json") && e.request().contains(": GET ")) {
            soft.assertThat(cacheControl).as("JWKS (public keys): %s", e).isEqualTo("public, max-age=300");
        } else {
            soft.assertThat(cacheControl).as("no-store: %s", e).contains("no-store");
        }
        if (isHtml(r)) {
            soft.assertThat(r.header("Cross-Origin-Opener-Policy")).as("COOP: %s", e).contains("same-origin");
            // The one script is the passkey pages' same-origin file; nothing inline, and the CSP allows only 'self' then.
            soft.assertThat(r.body().replace("<script src=\"/assets/passkeys.js\"></script>", "")).as("inline script: %s", e)
                    .doesNotContainIgnoringCase("<script");
            if (r.body().contains("/assets/passkeys.js"))
                soft.assertThat(csp).as("script pages: %s", e).contains("script-src 'self'").doesNotContain("script-src 'self' ");
            soft.assertThat(r.body()).as("inline style: %s", e).doesNotContainIgnoringCase(" style=").doesNotContainIgnoringCase("<style");
            soft.assertThat(INLINE_HANDLER.matcher(r.body()).find()).as("inline event handler: %s", e).isFalse();
            soft.assertThat(r.body()).as("javascript: URL: %s", e).doesNotContainIgnoringCase("javascript:");
        }
        soft.assertThat(r.status()).as("no 5xx: %s", e).isLessThan(500);
        for (String leak : LEAKS) soft.assertThat(r.body()).as("leak of %s: %s", leak, e).doesNotContain(leak);
    }

    @Test
    void everyResponseWhenSweepingAllRoutesThenCarriesTheSecurityHeadersAndNoInternals() {
        assertThat(sweep).hasSizeGreaterThan(200);
        var soft = new SoftAssertions();
        for (var e : sweep) {
            assertSecurityHeaders(soft, e);
            soft.assertThat(e.response().header("Strict-Transport-Security")).as("no HSTS in dev: %s", e).isEmpty();
        }
        soft.assertAll();
    }

    @Test
    void sweepWhenRunThenCoversEveryKindOfAnswer() {
        assertThat(sweep.stream().map(e -> e.response().status()).distinct().toList())
                .contains(200, 202, 204, 303, 400, 401, 403, 404, 405, 413, 415);
    }

    @Test
    void everyResponseWithABodyWhenSweepingAllRoutesThenHasAContentTypeWithCharset() {
        var soft = new SoftAssertions();
        for (var e : sweep) {
            if (e.response().body().isEmpty()) continue;
            soft.assertThat(e.response().header("Content-Type").orElse("").toLowerCase(Locale.ROOT))
                    .as("Content-Type of %s with body '%s'", e, e.response().body()).contains("charset=");
        }
        soft.assertAll();
    }

    @Test
    void devOutboxWhenSmtpIsConfiguredThenNotRouted() {
        var response = server.client().get("/dev/outbox");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body()).doesNotContain("Dev outbox").doesNotContain("/dev/outbox\">");
    }

    @Test
    void traceWhenSentWithCookiesThen4xxAndNothingIsEchoed() {
        String secret = "Zm9vYmFyYmF6cXV4" + UUID.randomUUID().toString().replace("-", "");
        var response = RawHttp.send(server.baseUrl, "TRACE / HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: doorman_session=" + secret
                + "\r\nX-Canary: " + secret + "\r\n", null);

        assertThat(response.status()).isBetween(400, 499);
        assertThat(response.body()).doesNotContain(secret).doesNotContainIgnoringCase("x-canary");
        assertThat(response.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).doesNotContain("message/http"));
        LEAKS.forEach(leak -> assertThat(response.body()).doesNotContain(leak));
    }

    @Test
    void unknownMethodWhenSentThen4xxGeneric() {
        for (String method : List.of("FOO", "PROPFIND", "CONNECT", "TRACK")) {
            var response = RawHttp.send(server.baseUrl, method + " /login HTTP/1.1\r\nHost: 127.0.0.1\r\n", null);
            assertThat(response.status()).as(method).isBetween(400, 499);
            LEAKS.forEach(leak -> assertThat(response.body()).as(method).doesNotContain(leak));
        }
    }

    @Test
    void requestWhenAHeaderIs64KbThenRejectedWith431Or400AndNothingLeaks() {
        var response = RawHttp.send(server.baseUrl, "GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(64 * 1024) + "\r\n", null);

        assertThat(response.status()).isIn(400, 431);
        LEAKS.forEach(leak -> assertThat(response.body()).doesNotContain(leak));
        assertThat(response.body()).doesNotContain("aaaaaaaaaaaaaaaa");
    }

    @Test
    void requestWhenRejectedByTheHttpLayerBeforeRoutingThenStillCarriesNosniffAndCsp() {
        var tooBig = RawHttp.send(server.baseUrl, "GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(64 * 1024) + "\r\n", null);
        var badHeader = RawHttp.send(server.baseUrl, "GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: a\rb\r\n", null);

        // HD-01: every response, including errors answered before a route is chosen.
        assertThat(List.of(tooBig, badHeader)).allSatisfy(r -> {
            assertThat(r.header("X-Content-Type-Options")).as("status %s", r.status()).contains("nosniff");
            assertThat(r.header("Content-Security-Policy")).as("status %s", r.status()).isPresent();
        });
    }

    @Test
    void notFoundPageWhenPathCarriesMarkupThenItIsEscaped() {
        var response = server.client().get("/%3Cscript%3Ealert(1)%3C%2Fscript%3E%22%3E%3Cimg%20src=x%3E");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body()).doesNotContain("<script").doesNotContain("<img").doesNotContain("\"><");
    }

    @Test
    void errorPagesWhenMalformedJsonThenGenericProblemWithoutParserDetails() {
        var response = server.client().postJson("/api/v1/session", "{\"email\": \"a@example.org\", \"password\": ");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(response.json().get("detail").asText()).doesNotContain("line:").doesNotContain("column").doesNotContain("Source");
        LEAKS.forEach(leak -> assertThat(response.body()).doesNotContain(leak));
    }
}
