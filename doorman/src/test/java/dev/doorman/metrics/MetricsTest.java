package dev.doorman.metrics;

import dev.doorman.DoormanSettings;
import dev.doorman.TestServer;
import dev.doorman.account.UserId;
import dev.doorman.audit.AuditEvent;
import dev.doorman.audit.AuditType;
import dev.doorman.client.ClientRegistration;
import dev.doorman.support.ClientInfo;
import dev.doorman.testkit.TestHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** /metrics: what it exposes, who may read it, and that the numbers move with what happens. */
class MetricsTest {
    private static final String TOKEN = "metrics-scraper-token-0123456789abcdef";
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private String scrape(TestHttp http) {
        var response = http.get(MetricsEndpoint.PATH);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    /** The value of one series, 0 when it does not exist yet. {@code labels} as they appear, sorted: {@code outcome="failure",reason="x"}. */
    static double value(String scrape, String name, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name + (labels.isEmpty() ? "" : "{" + labels + "}")) + " (\\S+)$").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void metricsWhenDevModeThenOpenInPrometheusFormatWithJvmPoolAndHashMeters() {
        server = TestServer.start(TestServer.Store.SQLITE);
        server.registerVerified("ada@example.org", TestServer.PASSWORD);

        var response = server.client().get(MetricsEndpoint.PATH);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/plain; version=0.0.4"));
        assertThat(response.header("Cache-Control")).contains("no-store");
        assertThat(response.body()).contains("# TYPE jvm_memory_used_bytes gauge", "jvm_threads_live_threads", "jvm_gc_",
                "process_uptime_seconds", "hikaricp_connections_active{pool=\"doorman-db\"}", "hikaricp_connections_acquire_seconds",
                "doorman_password_hash_seconds_count", "doorman_password_hash_wait_seconds_count");
        assertThat(value(response.body(), "doorman_password_hash_seconds_count", "")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void loginsWhenTheySucceedAndFailThenTheCountersByOutcomeAndReasonMove() {
        server = TestServer.start(TestServer.Store.SQLITE);
        server.registerVerified("bob@example.org", TestServer.PASSWORD);
        var http = server.client();
        String before = scrape(http);
        double hashes = value(before, "doorman_password_hash_seconds_count", "");

        http.postJson("/api/v1/session", "{\"email\":\"bob@example.org\",\"password\":\"not bobs password at all\"}");
        http.postJson("/api/v1/session", "{\"email\":\"bob@example.org\",\"password\":\"not bobs password either\"}");
        http.postJson("/api/v1/session", "{\"email\":\"nobody@example.org\",\"password\":\"not bobs password at all\"}");
        server.apiLogin("bob@example.org", TestServer.PASSWORD);
        String after = scrape(http);

        assertThat(value(after, "doorman_logins_total", "outcome=\"failure\",reason=\"wrong_password\"")
                - value(before, "doorman_logins_total", "outcome=\"failure\",reason=\"wrong_password\"")).isEqualTo(2);
        assertThat(value(after, "doorman_logins_total", "outcome=\"failure\",reason=\"unknown_account\"")
                - value(before, "doorman_logins_total", "outcome=\"failure\",reason=\"unknown_account\"")).isEqualTo(1);
        assertThat(value(after, "doorman_logins_total", "outcome=\"success\",reason=\"none\"")
                - value(before, "doorman_logins_total", "outcome=\"success\",reason=\"none\"")).isEqualTo(1);
        assertThat(value(after, "doorman_audit_events_total", "outcome=\"failure\",type=\"login_failed\"")
                - value(before, "doorman_audit_events_total", "outcome=\"failure\",type=\"login_failed\"")).isEqualTo(3);
        assertThat(value(after, "doorman_password_hash_seconds_count", "") - hashes).isGreaterThanOrEqualTo(4);
        assertThat(after).doesNotContain("bob@example.org").doesNotContain("nobody@example.org");
    }

    @Test
    void requestLatencyWhenPathsCarryIdsThenOneSeriesPerRoutePatternNeverPerRawUrl() {
        server = TestServer.start(TestServer.Store.SQLITE);
        var user = server.registerAndLogIn("carol@example.org");
        String id1 = UUID.randomUUID().toString();
        user.http().deleteJson("/api/v1/me/sessions/" + id1);
        user.http().deleteJson("/api/v1/me/sessions/" + UUID.randomUUID());
        server.client().get("/no/such/page/" + id1);

        String scrape = scrape(server.client());

        String labels = "method=\"DELETE\",route=\"/api/v1/me/sessions/{id}\",status=\"404\"";
        assertThat(value(scrape, "http_server_requests_seconds_count", labels)).isEqualTo(2);
        assertThat(scrape).contains("http_server_requests_seconds_bucket{" + labels + ",le=\"0.1\"}");
        assertThat(scrape).contains("route=\"unmatched\"").doesNotContain(id1);
    }

    @Test
    void tokensWhenIssuedOrRefusedThenCountedByGrant() throws Exception {
        server = TestServer.start(TestServer.Store.SQLITE);
        var created = server.createClient(ClientRegistration.confidential("Billing job").id("billing-job").grantType("client_credentials").build());
        String basic = "Basic " + Base64.getEncoder().encodeToString(("billing-job:" + created.secret().orElseThrow().getValue())
                .getBytes(StandardCharsets.UTF_8));

        var ok = token(basic, "grant_type=client_credentials");
        var refused = token(basic, "grant_type=refresh_token&refresh_token=forged");
        String scrape = scrape(server.client());

        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(value(scrape, "doorman_tokens_issued_total", "grant=\"client_credentials\"")).isEqualTo(1);
    }

    private HttpResponse<String> token(String authorization, String form) throws Exception {
        try (var client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create(server.baseUrl + "/oauth2/token"))
                    .header("Authorization", authorization).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void onAuditWhenSecurityEventsHappenThenDedicatedCountersAndTheGenericCounterMove() {
        var metrics = DoormanMetrics.create();
        var event = new AuditEvent(Instant.parse("2026-11-28T10:00:00Z"), AuditType.REFRESH_TOKEN_REUSED, AuditEvent.Outcome.FAILURE,
                Optional.of("family_revoked"), Optional.of(UserId.random()), Optional.empty(), ClientInfo.unknown());

        metrics.onAudit(event);
        metrics.onAudit(event);
        metrics.tokenResponse("refresh_token", false, "invalid_grant");
        String scrape = metrics.scrape();

        assertThat(value(scrape, "doorman_refresh_token_reuse_total", "")).isEqualTo(2);
        assertThat(value(scrape, "doorman_audit_events_total", "outcome=\"failure\",type=\"refresh_token_reused\"")).isEqualTo(2);
        assertThat(value(scrape, "doorman_token_requests_refused_total", "error=\"invalid_grant\",grant=\"refresh_token\"")).isEqualTo(1);
        metrics.close();
    }

    @Test
    void lockoutAndRateLimitTypesWhenNamedAsTheGuardNamesThemThenRecognisedWithoutWiring() {
        assertThat(DoormanMetrics.isLockout("account_locked")).isTrue();
        assertThat(DoormanMetrics.isLockout("login_lockout_imposed")).isTrue();
        assertThat(DoormanMetrics.isLockout("account_unlocked")).isFalse();
        assertThat(DoormanMetrics.isLockout("login_failed")).isFalse();
        assertThat(DoormanMetrics.isRateLimited("rate_limited")).isTrue();
        assertThat(DoormanMetrics.isRateLimited("login_throttled")).isTrue();
        assertThat(DoormanMetrics.isRateLimited("token_issued")).isFalse();
    }

    @Test
    void metricsWhenBehindABearerTokenThen401WithoutOrWithAWrongTokenAnd200WithIt() {
        server = TestServer.start(TestServer.Store.SQLITE, s -> s.withObservability(
                new ObservabilitySettings(MetricsSettings.bearerToken(TOKEN), Optional.empty())));
        var http = server.client();

        var none = http.get(MetricsEndpoint.PATH);
        http.setHeader("Authorization", "Bearer " + TOKEN + "x");
        var wrong = http.get(MetricsEndpoint.PATH);
        http.setHeader("Authorization", "Bearer " + TOKEN);
        var right = http.get(MetricsEndpoint.PATH);

        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).contains("Bearer realm=\"metrics\"");
        assertThat(none.body()).doesNotContain("jvm_");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(right.status()).isEqualTo(200);
        assertThat(right.body()).contains("jvm_memory_used_bytes");
    }

    @Test
    void metricsWhenOnAManagementPortThenNotOnThePublicPortButOnTheManagementListener() {
        server = TestServer.start(TestServer.Store.SQLITE, s -> s.withObservability(
                new ObservabilitySettings(MetricsSettings.managementPort("127.0.0.1", 1), Optional.empty())));
        var management = server.doorman.createManagementServer().orElseThrow().start("127.0.0.1", 0);
        try {
            assertThat(server.client().get(MetricsEndpoint.PATH).status()).isEqualTo(404);
            var scraped = new TestHttp("http://127.0.0.1:" + management.port()).get(MetricsEndpoint.PATH);
            assertThat(scraped.status()).isEqualTo(200);
            assertThat(scraped.body()).contains("jvm_memory_used_bytes");
        } finally {
            management.stop();
        }
    }

    @Test
    void metricsWhenOffThen404AndNoManagementListener() {
        server = TestServer.start(TestServer.Store.SQLITE, s -> s.withObservability(new ObservabilitySettings(MetricsSettings.off(), Optional.empty())));

        assertThat(server.client().get(MetricsEndpoint.PATH).status()).isEqualTo(404);
        assertThat(server.doorman.createManagementServer()).isEmpty();
    }

    @Test
    void productionWhenMetricsWouldBeOpenThenRefusesToStartNamingTheFix() {
        var dev = DoormanSettings.dev(URI.create("https://login.example.org"));
        var production = new DoormanSettings(DoormanSettings.Mode.PRODUCTION, dev.baseUrl(), dev.session(), dev.password(), dev.accounts(),
                dev.mail(), dev.maxRequestBytes(), dev.oauth2(), ObservabilitySettings.defaults());

        assertThat(production.insecureForProduction()).anySatisfy(p -> assertThat(p).contains("/metrics would be served to anyone")
                .contains("DOORMAN_METRICS_EXPOSURE"));
        assertThat(production.withObservability(new ObservabilitySettings(MetricsSettings.bearerToken(TOKEN), Optional.empty()))
                .insecureForProduction()).noneSatisfy(p -> assertThat(p).contains("metrics"));
        assertThat(new DoormanSettings(DoormanSettings.Mode.PRODUCTION, dev.baseUrl(), dev.session(), dev.password(), dev.accounts(),
                dev.mail(), dev.maxRequestBytes(), dev.oauth2()).observability().metrics().exposure()).isEqualTo(MetricsSettings.Exposure.OFF);
    }

    @Test
    void settingsWhenBearerTokenIsShortOrPortIsMissingThenRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MetricsSettings.bearerToken("short"))
                .hasMessageContaining("at least 32 characters");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MetricsSettings.managementPort("127.0.0.1", 0))
                .hasMessageContaining("port");
        assertThat(MetricsSettings.bearerToken(TOKEN).toString()).doesNotContain(TOKEN);
    }
}
