package dev.doorman.examples.payments;

import dev.doorman.account.Email;
import dev.doorman.account.Password;
import dev.doorman.account.UserId;
import dev.doorman.access.BindingOutcome;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditType;
import dev.doorman.authz.Policy;
import dev.doorman.authz.PolicyTests;
import dev.doorman.provisioning.CreateUserOutcome;
import dev.doorman.provisioning.NewUser;
import dev.doorman.provisioning.ProvisioningService;
import dev.doorman.support.ClientInfo;
import dev.doorman.testkit.TestHttp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** payments-api against the real Doorman it embeds, on a random port: the mini challenge, attacked. */
class PaymentsApiTest {
    static final String PASSWORD = "correct horse battery staple";
    static final long LIMIT = 100_000;
    static final String PAYEE = "DE89370400440532013000";
    static PaymentsApp app;
    static String base;

    /** A logged-in person: their browser-like client (session cookie, CSRF header, own Origin), id and first account. */
    record Payer(TestHttp http, String id, String account) { }

    /** One app for the whole run (PaymentsPageTest shares it); stopped when the JVM exits. */
    @BeforeAll
    static synchronized void start0() {
        if (app != null) return;
        try {
            base = "http://127.0.0.1:" + freePort();
            app = PaymentsApp.start(new PaymentsSettings(URI.create(base).getPort(), URI.create(base), Files.createTempDirectory("payments-api"),
                    LIMIT, Optional.empty()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(app::close));
    }

    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static Payer payer(PaymentsApp app, String base, String email) {
        var doorman = app.doorman();
        var provisioning = new ProvisioningService(doorman.users(), doorman.roles(), doorman.passwordHasher(), doorman.passwordPolicy(),
                doorman.accounts(), doorman.clientStore(), doorman.database(), new AuditLog(doorman.auditTrail(), Clock.systemUTC()),
                Clock.systemUTC());
        var created = provisioning.createUser(new NewUser(Email.parse(email).orElseThrow(), Optional.empty(), new Password(PASSWORD), true,
                Set.of()), new ClientInfo("127.0.0.1", "PaymentsApiTest"));
        assertThat(created).isInstanceOf(CreateUserOutcome.Created.class);
        String id = ((CreateUserOutcome.Created) created).user().id().toString();
        var http = new TestHttp(base);
        var login = http.postJson("/api/v1/session", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        http.setHeader("X-CSRF-Token", login.json().get("csrfToken").asText());
        http.setHeader("Origin", base);
        var account = http.postJson("/api/accounts", "{\"name\":\"Current account\"}");
        assertThat(account.status()).as(account.body()).isEqualTo(201);
        return new Payer(http, id, account.json().get("id").asText());
    }

    static Payer payer(String email) {
        return payer(app, base, email);
    }

    static String body(String account, long amount) {
        return "{\"fromAccount\":\"" + account + "\",\"payee\":\"" + PAYEE + "\",\"amount\":" + amount + ",\"currency\":\"EUR\",\"reference\":\"rent\"}";
    }

    static TestHttp.Response pay(TestHttp http, String key, String json) {
        var request = http.request("/api/payments").header("Content-Type", "application/json");
        if (key != null) request.header("Idempotency-Key", key);
        return http.send(request.POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    static void assertProblem(TestHttp.Response response, int status, String code) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(response.json().get("code").asText()).isEqualTo(code);
    }

    static int paymentsOf(Payer p) {
        return p.http().get("/api/payments").json().size();
    }

    static List<AuditEntry> auditOf(String userId) {
        return app.store().auditTrail().stream().filter(e -> e.userId().equals(Optional.of(userId))).toList();
    }

    static void bindApprover(PaymentsApp app, String userId) {
        var bound = app.doorman().access().bind(userId, "payments:approver", Optional.empty(), Optional.empty(),
                new ClientInfo("127.0.0.1", "PaymentsApiTest"));
        assertThat(bound).isInstanceOf(BindingOutcome.Bound.class);
    }

    @Test
    void loginWhenTheSessionCookieIsSetThenItIsStrictHttpOnlyAndSecure() {
        var http = new TestHttp(base);
        payer("cookie@example.org");
        var login = http.postJson("/api/v1/session", "{\"email\":\"cookie@example.org\",\"password\":\"" + PASSWORD + "\"}");
        String name = app.doorman().settings().session().sessionCookieName();
        assertThat(login.setCookies()).anySatisfy(c -> assertThat(c).startsWith(name + "=")
                .contains("; SameSite=Strict", "; HttpOnly", "; Secure", "; Path=/").doesNotContain("Domain"));
        assertThat(app.doorman().settings().session().idleTimeout()).isEqualTo(java.time.Duration.ofMinutes(15));
        assertThat(app.doorman().settings().session().absoluteTimeout()).isEqualTo(java.time.Duration.ofHours(8));
    }

    @Test
    void smallPaymentFromTheOwnersAccountThen201AndAudited() {
        var ada = payer("ada.small@example.org");
        var paid = pay(ada.http(), UUID.randomUUID().toString(), body(ada.account(), 2_500));
        assertThat(paid.status()).as(paid.body()).isEqualTo(201);
        assertThat(paid.json().get("amount").asLong()).isEqualTo(2_500);
        assertThat(paid.location()).hasValue("/api/payments/" + paid.json().get("id").asText());
        assertThat(paymentsOf(ada)).isEqualTo(1);
        assertThat(auditOf(ada.id())).anySatisfy(e -> {
            assertThat(e.event()).isEqualTo("payment_created");
            assertThat(e.paymentId()).hasValue(paid.json().get("id").asText());
            assertThat(e.reason()).hasValue("decided by people-make-payments");
        });
        // Exactly the limit needs nothing more.
        assertThat(pay(ada.http(), UUID.randomUUID().toString(), body(ada.account(), LIMIT)).status()).isEqualTo(201);
    }

    @Test
    void noCredentialsThen401AndNothingIsPaid() {
        var ada = payer("ada.anon@example.org");
        var stranger = new TestHttp(base);
        stranger.setHeader("Origin", base);
        assertProblem(pay(stranger, UUID.randomUUID().toString(), body(ada.account(), 100)), 401, "auth.unauthenticated");
        assertProblem(stranger.get("/api/payments"), 401, "auth.unauthenticated");
        assertProblem(stranger.get("/api/accounts"), 401, "auth.unauthenticated");
        assertThat(paymentsOf(ada)).isZero();
    }

    @Test
    void tamperedSessionCookieThen401AndNothingIsPaid() {
        var ada = payer("ada.tamper@example.org");
        String name = app.doorman().settings().session().sessionCookieName();
        String cookie = ada.http().cookies().get(name);
        var forger = new TestHttp(base);
        forger.setHeader("Origin", base);
        forger.setHeader("X-CSRF-Token", "whatever");
        char last = cookie.charAt(cookie.length() - 1);
        forger.setCookie(name, cookie.substring(0, cookie.length() - 1) + (last == 'x' ? 'y' : 'x'));
        assertProblem(pay(forger, UUID.randomUUID().toString(), body(ada.account(), 100)), 401, "auth.unauthenticated");
        assertThat(paymentsOf(ada)).isZero();
    }

    @Test
    void missingOrForeignCsrfTokenThen403AuditedAndNothingIsPaid() {
        var ada = payer("ada.csrf@example.org");
        var bob = payer("bob.csrf@example.org");
        ada.http().clearHeader("X-CSRF-Token");
        assertProblem(pay(ada.http(), UUID.randomUUID().toString(), body(ada.account(), 100)), 403, "csrf.invalid_token");
        ada.http().setHeader("X-CSRF-Token", bob.http().send(bob.http().request("/api/v1/session").POST(HttpRequest.BodyPublishers
                .ofString("{\"email\":\"bob.csrf@example.org\",\"password\":\"" + PASSWORD + "\"}")).header("Content-Type", "application/json"))
                .json().get("csrfToken").asText());
        assertProblem(pay(ada.http(), UUID.randomUUID().toString(), body(ada.account(), 100)), 403, "csrf.invalid_token");
        var logged = app.doorman().auditTrail().forUser(UserId.parse(ada.id()), 20);
        assertThat(logged).filteredOn(e -> e.type() == AuditType.CSRF_REJECTED).hasSize(2);
        assertThat(app.store().paymentsOf(ada.id())).isEmpty();
    }

    @Test
    void crossSiteOrUnlabelledPostThen403AuditedAndNothingIsPaid() {
        var ada = payer("ada.origin@example.org");
        String json = body(ada.account(), 100);
        // Doorman's own check: another site's Origin, a same-site (sibling subdomain) or cross-site fetch.
        assertProblem(ada.http().send(ada.http().request("/api/payments").header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString()).header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString(json))), 403, "csrf.cross_origin");
        assertProblem(ada.http().send(ada.http().request("/api/payments").header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString()).header("Sec-Fetch-Site", "same-site")
                .POST(HttpRequest.BodyPublishers.ofString(json))), 403, "csrf.cross_origin");
        // The stricter rule on payments: a bookmark-like navigation (none) and a request that names no origin at all.
        assertProblem(ada.http().send(ada.http().request("/api/payments").header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString()).header("Sec-Fetch-Site", "none")
                .POST(HttpRequest.BodyPublishers.ofString(json))), 403, "payments.cross_site");
        ada.http().clearHeader("Origin");
        assertProblem(pay(ada.http(), UUID.randomUUID().toString(), json), 403, "payments.origin_missing");
        assertThat(auditOf(ada.id())).filteredOn(e -> e.event().equals("payment_refused")).extracting(e -> e.reason().orElseThrow())
                .contains("cross_site", "origin_missing");
        assertThat(app.store().paymentsOf(ada.id())).isEmpty();

        // A same-origin fetch from the app's own page passes.
        var ok = ada.http().send(ada.http().request("/api/payments").header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString()).header("Sec-Fetch-Site", "same-origin")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
    }

    @Test
    void malformedRequestThen400ProblemAuditedAndNothingIsPaid() {
        var ada = payer("ada.input@example.org");
        String acc = ada.account();
        String[][] cases = {
                {"{\"fromAccount\":\"" + acc + "\",", "request.malformed_json"},
                {"{\"fromAccount\":\"" + acc + "\",\"payee\":\"" + PAYEE + "\",\"amount\":\"100\",\"currency\":\"EUR\"}", "request.wrong_type"},
                {"{\"fromAccount\":\"" + acc + "\",\"payee\":\"" + PAYEE + "\",\"amount\":12.5,\"currency\":\"EUR\"}", "request.wrong_type"},
                {"{\"fromAccount\":\"" + acc + "\",\"payee\":\"" + PAYEE + "\",\"amount\":1e3,\"currency\":\"EUR\"}", "request.wrong_type"},
                {"{\"fromAccount\":\"" + acc + "\",\"payee\":\"" + PAYEE + "\",\"amount\":99999999999999999999,\"currency\":\"EUR\"}", "request.wrong_type"},
                {"{\"fromAccount\":\"" + acc + "\",\"payee\":\"" + PAYEE + "\",\"amount\":-5,\"currency\":\"EUR\"}", "payments.invalid_payment"},
                {"{\"fromAccount\":\"" + acc + "\",\"payee\":\"" + PAYEE + "\",\"amount\":0,\"currency\":\"EUR\"}", "payments.invalid_payment"},
                {"{\"fromAccount\":\"" + acc + "\",\"payee\":\"nobody\",\"amount\":5,\"currency\":\"EUR\"}", "payments.invalid_payment"},
                {"{\"fromAccount\":\"" + acc + "\",\"payee\":\"" + PAYEE + "\",\"amount\":5,\"currency\":\"euro\"}", "payments.invalid_payment"},
                {"{\"fromAccount\":\"" + acc + "\",\"payee\":\"" + PAYEE + "\",\"amount\":5,\"currency\":\"EUR\",\"approved\":true}", "request.unknown_field"},
                {"{\"fromAccount\":\"" + acc + "\",\"payee\":\"" + PAYEE + "\",\"amount\":5}", "request.missing_field"},
                {"{\"fromAccount\":\"" + acc + "\",\"payee\":\"" + PAYEE + "\",\"amount\":5,\"amount\":500000,\"currency\":\"EUR\"}", "request.malformed_json"},
                {"{\"fromAccount\":\"" + acc + "\",\"payee\":\"" + PAYEE + "\",\"amount\":5,\"currency\":\"EUR\",\"reference\":\"" + "r".repeat(141) + "\"}", "payments.invalid_payment"},
        };
        for (String[] c : cases) assertProblem(pay(ada.http(), UUID.randomUUID().toString(), c[0]), 400, c[1]);
        assertProblem(pay(ada.http(), null, body(acc, 100)), 400, "payments.idempotency_key_required");
        assertProblem(pay(ada.http(), "short", body(acc, 100)), 400, "payments.idempotency_key_required");
        assertProblem(pay(ada.http(), "has spaces in it", body(acc, 100)), 400, "payments.idempotency_key_required");
        assertThat(pay(ada.http(), UUID.randomUUID().toString(), "{\"fromAccount\":\"" + acc + "\",\"payee\":\"" + PAYEE + "\",\"amount\":1,\"currency\":\"EUR\",\"reference\":\""
                + "x".repeat(70_000) + "\"}").status()).isEqualTo(413);
        assertThat(app.store().paymentsOf(ada.id())).isEmpty();
        assertThat(auditOf(ada.id())).filteredOn(e -> e.event().equals("payment_refused")).hasSizeGreaterThanOrEqualTo(cases.length + 3);
    }

    @Test
    void paymentFromAnAccountNotOwnedThen404LikeAnAccountThatDoesNotExistAndAudited() {
        var ada = payer("ada.idor@example.org");
        var bob = payer("bob.idor@example.org");
        bindApprover(app, bob.id());     // not even an approver pays from someone else's account
        var fromAdas = pay(bob.http(), UUID.randomUUID().toString(), body(ada.account(), 100));
        var fromNowhere = pay(bob.http(), UUID.randomUUID().toString(), body("acc_AAAAAAAAAAAAAAAAAAAAAA", 100));
        assertProblem(fromAdas, 404, "payments.account_not_found");
        assertThat(fromAdas.body()).isEqualTo(fromNowhere.body());
        // Over the limit too: still 404, never the 403 that would confirm the account exists.
        assertProblem(pay(payer("carol.idor@example.org").http(), UUID.randomUUID().toString(), body(ada.account(), LIMIT * 10)),
                404, "payments.account_not_found");
        assertThat(bob.http().get("/api/accounts").json()).extracting(a -> a.get("id").asText()).containsExactly(bob.account());
        assertThat(app.store().paymentsOf(bob.id())).isEmpty();
        assertThat(paymentsOf(ada)).isZero();
        assertThat(auditOf(bob.id())).filteredOn(e -> e.event().equals("payment_refused")).extracting(e -> e.reason().orElseThrow())
                .containsExactly("not_account_holder", "account_not_found");
    }

    @Test
    void overTheLimitWithoutApproverThen403ClearProblemAndWithTheApproverRoleThen201() {
        var ada = payer("ada.limit@example.org");
        var refused = pay(ada.http(), UUID.randomUUID().toString(), body(ada.account(), LIMIT + 1));
        assertProblem(refused, 403, "payments.approval_required");
        assertThat(refused.json().get("detail").asText()).contains("payments:approver", "second factor", "5 minutes", String.valueOf(LIMIT));
        assertThat(app.store().paymentsOf(ada.id())).isEmpty();
        assertThat(auditOf(ada.id())).anySatisfy(e -> {
            assertThat(e.event()).isEqualTo("payment_refused");
            assertThat(e.reason()).hasValue("approval_required");
            assertThat(e.amount()).hasValue(LIMIT + 1);
        });

        bindApprover(app, ada.id());
        var paid = pay(ada.http(), UUID.randomUUID().toString(), body(ada.account(), LIMIT * 50));
        assertThat(paid.status()).as(paid.body()).isEqualTo(201);
        assertThat(app.store().paymentsOf(ada.id())).singleElement().satisfies(p -> assertThat(p.amount()).isEqualTo(LIMIT * 50));
    }

    @Test
    void retriedPostWithTheSameKeyAndBodyThenTheOriginalResponseAndOnePayment() {
        var ada = payer("ada.retry@example.org");
        String key = UUID.randomUUID().toString();
        var first = pay(ada.http(), key, body(ada.account(), 700));
        assertThat(first.status()).isEqualTo(201);
        var again = pay(ada.http(), key, body(ada.account(), 700));
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.location()).isEqualTo(first.location());
        assertThat(again.header("Idempotent-Replayed")).hasValue("true");
        // The same payment with other field order and spacing is the same request.
        String reordered = "{ \"reference\":\"rent\", \"currency\":\"EUR\", \"amount\": 700, \"payee\":\"" + PAYEE + "\", \"fromAccount\":\"" + ada.account() + "\" }";
        assertThat(pay(ada.http(), key, reordered).body()).isEqualTo(first.body());
        assertThat(app.store().paymentsOf(ada.id())).hasSize(1);
        assertThat(auditOf(ada.id())).filteredOn(e -> e.event().equals("payment_replayed")).hasSize(2);
    }

    @Test
    void replayedKeyWithADifferentBodyThen422AndNothingNewIsPaid() {
        var ada = payer("ada.reuse@example.org");
        String key = UUID.randomUUID().toString();
        assertThat(pay(ada.http(), key, body(ada.account(), 700)).status()).isEqualTo(201);
        assertProblem(pay(ada.http(), key, body(ada.account(), 70_000)), 422, "payments.idempotency_key_reused");
        assertThat(app.store().paymentsOf(ada.id())).singleElement().satisfies(p -> assertThat(p.amount()).isEqualTo(700));
        assertThat(auditOf(ada.id())).anySatisfy(e -> assertThat(e.reason()).hasValue("idempotency_key_reused"));
    }

    @Test
    void sameKeyFromAnotherUserThenItIsTheirOwnKey() {
        var ada = payer("ada.scope@example.org");
        var bob = payer("bob.scope@example.org");
        String key = UUID.randomUUID().toString();
        var adas = pay(ada.http(), key, body(ada.account(), 300));
        var bobs = pay(bob.http(), key, body(bob.account(), 300));
        assertThat(adas.status()).isEqualTo(201);
        assertThat(bobs.status()).isEqualTo(201);
        assertThat(bobs.json().get("id").asText()).isNotEqualTo(adas.json().get("id").asText());
        assertThat(bobs.header("Idempotent-Replayed")).isEmpty();
        // and bob replaying ada's key with ada's body learns nothing about ada's payment
        assertProblem(pay(bob.http(), key, body(ada.account(), 300)), 422, "payments.idempotency_key_reused");
    }

    @Test
    void concurrentDuplicatesWithOneKeyThenOnePaymentAndEveryoneGetsItsResponse() throws Exception {
        var ada = payer("ada.race@example.org");
        String key = UUID.randomUUID().toString();
        String json = body(ada.account(), 4_200);
        int n = 8;
        var ready = new CountDownLatch(n);
        var go = new CountDownLatch(1);
        var responses = new ArrayList<Future<TestHttp.Response>>();
        try (var pool = Executors.newFixedThreadPool(n)) {
            for (int i = 0; i < n; i++) {
                Callable<TestHttp.Response> call = () -> {
                    ready.countDown();
                    go.await();
                    return pay(ada.http(), key, json);
                };
                responses.add(pool.submit(call));
            }
            ready.await();
            go.countDown();
        }
        var bodies = new ArrayList<String>();
        for (var r : responses) {
            assertThat(r.get().status()).as(r.get().body()).isEqualTo(201);
            bodies.add(r.get().body());
        }
        assertThat(bodies).containsOnly(bodies.getFirst());
        assertThat(app.store().paymentsOf(ada.id())).hasSize(1);
        assertThat(auditOf(ada.id())).filteredOn(e -> e.event().equals("payment_created")).hasSize(1);
        assertThat(auditOf(ada.id())).filteredOn(e -> e.event().equals("payment_replayed")).hasSize(n - 1);
    }

    @Test
    void shippedPolicyWhenItsTestsRunThenEveryCasePasses() throws Exception {
        var report = PolicyTests.run(Policy.load(Path.of("src/main/resources" + PaymentsApp.BUNDLED_POLICY)), Clock.systemUTC());
        assertThat(report.results()).hasSizeGreaterThanOrEqualTo(12);
        assertThat(report.passed()).as(report.render()).isTrue();
    }
}
