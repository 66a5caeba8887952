package dev.doorman.access;

import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import dev.doorman.TestServer;
import dev.doorman.account.RoleStore;
import dev.doorman.audit.AuditEvent;
import dev.doorman.audit.AuditType;
import dev.doorman.authz.AccessRequest;
import dev.doorman.authz.Policy;
import dev.doorman.authz.PolicyException;
import dev.doorman.authz.Resource;
import dev.doorman.authz.ResourceRef;
import dev.doorman.authz.RoleBinding;
import dev.doorman.authz.Subject;
import dev.doorman.client.ClientRegistration;
import dev.doorman.support.ClientInfo;
import dev.doorman.testkit.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Role bindings in the database, the administrators' binding API and the AuthZEN decision point over real HTTP
 * with a client_credentials token (AZ-01, AZ-03, AZ-06, AZ-07, AU-02).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AccessContract {
    static final String POLICY = """
            version: 1
            roles:
              admin: {permissions: ["*"]}
              viewer: {permissions: [note:read]}
              manager: {inherits: [viewer], permissions: ["project:*", "task:*"]}
            rules:
              - name: owners-update-notes
                effect: allow
                actions: [note:update]
                condition: resource.ownerId == subject.id
              - name: no-big-payments
                effect: deny
                actions: ["payment:*"]
                condition: context.amount > 1000
              - name: payments
                effect: allow
                actions: [payment:create]
            """;
    private static final AtomicInteger USERS = new AtomicInteger();

    protected TestServer server;
    private String token;

    protected abstract TestServer.Store store();

    @BeforeAll
    void start() throws PolicyException {
        server = TestServer.start(store(), Policy.parse(POLICY, "test-policy.yaml"));
        server.doorman.roles().save(new RoleStore.Role("admin", Optional.empty()));
        token = clientToken("doorman:authz");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private String clientToken(String... scopes) {
        var registration = ClientRegistration.confidential("Service " + USERS.incrementAndGet()).grantType("client_credentials");
        for (String s : scopes) registration.scope(s);
        var created = server.createClient(registration.build());
        var http = server.client();
        var auth = new ClientSecretBasic(created.client().id(), created.secret().orElseThrow());
        var response = http.send(http.request("/oauth2/token")
                .header("Authorization", auth.toHTTPAuthorizationHeader())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=" + String.join("%20", scopes))));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().get("access_token").asText();
    }

    private TestHttp.Response evaluate(String path, String bearer, String json) {
        var http = server.client();
        var request = http.request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) request.header("Authorization", "Bearer " + bearer);
        return http.send(request);
    }

    private TestServer.LoggedIn user() {
        return server.registerAndLogIn("access" + USERS.incrementAndGet() + "-" + System.nanoTime() + "@example.org");
    }

    private static String request(String subjectId, String action, String resourceType, String resourceId, String properties) {
        return "{\"subject\":{\"type\":\"user\",\"id\":\"" + subjectId + "\"},\"action\":{\"name\":\"" + action + "\"},"
                + "\"resource\":{\"type\":\"" + resourceType + "\",\"id\":\"" + resourceId + "\",\"properties\":" + properties + "}}";
    }

    // ---- the store and the bindings the engine sees ----

    @Test
    void storeWhenBindingSavedTwiceThenSecondIsNoOpAndRemoveWorksOnce() {
        var store = new JdbiRoleBindingStore(server.database.jdbi());
        var scoped = RoleBinding.on("svc-a", "manager", new ResourceRef("project", "42"));
        var global = RoleBinding.global("svc-a", "viewer");
        Instant at = Instant.parse("2026-11-28T10:00:00Z");
        assertThat(store.save(scoped, at)).isTrue();
        assertThat(store.save(scoped, at)).isFalse();
        assertThat(store.save(global, at)).isTrue();
        assertThat(store.save(global, at)).isFalse();
        assertThat(store.bindingsOf("svc-a")).containsExactly(new StoredBinding(scoped, at), new StoredBinding(global, at));
        assertThat(store.remove(scoped)).isTrue();
        assertThat(store.remove(scoped)).isFalse();
        assertThat(store.bindingsOf("svc-a")).extracting(StoredBinding::binding).containsExactly(global);
        assertThat(store.remove(global)).isTrue();
    }

    @Test
    void decideWhenRoleBoundOnProjectThenAllowedThereUntilUnboundAndUserRolesCountToo() {
        var ada = user();
        String id = ada.user().toString();
        var access = server.doorman.access();
        var task = Resource.of("task", "7").within(new ResourceRef("project", "42"));
        var request = AccessRequest.of(Subject.user(id, Set.of()), "task:update", task);
        assertThat(access.decide(request, false).allowed()).isFalse();

        var bound = access.bind(id, "manager", Optional.of("project/42"), Optional.empty(), ClientInfo.unknown());
        assertThat(bound).isInstanceOf(BindingOutcome.Bound.class);
        assertThat(access.bind(id, "manager", Optional.of("project/42"), Optional.empty(), ClientInfo.unknown())).isInstanceOf(BindingOutcome.AlreadyBound.class);
        assertThat(access.decide(request, false).reason().describe()).isEqualTo("allowed: role manager bound on project/42 grants task:*");
        assertThat(access.decide(AccessRequest.of(Subject.user(id, Set.of()), "task:update", Resource.of("task", "8").within(new ResourceRef("project", "43"))), false).allowed()).isFalse();

        assertThat(access.unbind(id, "manager", Optional.of("project/42"), Optional.empty(), ClientInfo.unknown())).isInstanceOf(BindingOutcome.Unbound.class);
        assertThat(access.decide(request, false).allowed()).isFalse();

        // A global role from user_roles (the roles put into tokens) counts as a global binding.
        server.doorman.roles().setRoles(ada.user(), Set.of("admin"));
        assertThat(access.decide(request, false).reason().describe()).isEqualTo("allowed: role admin bound globally grants *");
        server.doorman.roles().setRoles(ada.user(), Set.of());
        assertThat(access.decide(request, false).allowed()).isFalse();
    }

    @Test
    void bindWhenRoleOrSubjectUnknownOrResourceMalformedThenRefusedAndNothingStored() {
        var ada = user();
        String id = ada.user().toString();
        var access = server.doorman.access();
        assertThat(access.bind(id, "superuser", Optional.empty(), Optional.empty(), ClientInfo.unknown()))
                .isInstanceOfSatisfying(BindingOutcome.Refused.class, r -> {
                    assertThat(r.code()).isEqualTo("access.unknown_role");
                    assertThat(r.message()).contains("roles: admin, manager, viewer");
                });
        assertThat(access.bind("00000000-0000-4000-8000-000000000000", "viewer", Optional.empty(), Optional.empty(), ClientInfo.unknown()))
                .isInstanceOfSatisfying(BindingOutcome.Refused.class, r -> assertThat(r.code()).isEqualTo("access.unknown_subject"));
        assertThat(access.bind(id, "viewer", Optional.of("project"), Optional.empty(), ClientInfo.unknown()))
                .isInstanceOfSatisfying(BindingOutcome.Refused.class, r -> assertThat(r.code()).isEqualTo("access.invalid_resource"));
        assertThat(access.bindings(Optional.of(id))).isEmpty();
    }

    // ---- the AuthZEN decision point ----

    @Test
    void evaluationWhenOwnerThenDecisionTrueWithReason() {
        var r = evaluate(AccessPaths.EVALUATION, token, request("ada", "note:update", "note", "n1", "{\"ownerId\":\"ada\"}"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.header("Cache-Control")).contains("no-store");
        assertThat(r.json().get("decision").asBoolean()).isTrue();
        assertThat(r.json().at("/context/decided_by").asText()).isEqualTo("owners-update-notes");
        assertThat(r.json().at("/context/reason").asText()).isEqualTo("allowed by rule 'owners-update-notes' (condition true: resource.ownerId == subject.id)");
    }

    @Test
    void evaluationWhenNotOwnerThenDecisionFalseAuditedAndExplainListsTheCondition() {
        long before = denials();
        var r = evaluate(AccessPaths.EVALUATION + "?explain=true", token, request("bob", "note:update", "note", "n1", "{\"ownerId\":\"ada\"}"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("decision").asBoolean()).isFalse();
        assertThat(r.json().at("/context/reason").asText()).startsWith("denied: no role or allow rule grants note:update");
        assertThat(r.json().at("/context/explain").toString())
                .contains("allow rule 'owners-update-notes': condition `resource.ownerId == subject.id` is false: no effect");
        assertThat(denials()).isEqualTo(before + 1);
    }

    @Test
    void evaluationWhenAttributeMissingThenDeniedFailClosed() {
        var r = evaluate(AccessPaths.EVALUATION, token, request("ada", "note:update", "note", "n1", "{}"));
        assertThat(r.json().get("decision").asBoolean()).isFalse();
        var pay = evaluate(AccessPaths.EVALUATION, token, request("ada", "payment:create", "payment", "p1", "{}"));
        assertThat(pay.json().get("decision").asBoolean()).isFalse();
        assertThat(pay.json().at("/context/decided_by").asText()).isEqualTo("no-big-payments");
    }

    @Test
    void evaluationWhenContextGivenThenConditionsSeeIt() {
        String small = "{\"subject\":{\"type\":\"client\",\"id\":\"svc\"},\"action\":{\"name\":\"payment:create\"},"
                + "\"resource\":{\"type\":\"payment\",\"id\":\"p1\"},\"context\":{\"amount\":500}}";
        assertThat(evaluate(AccessPaths.EVALUATION, token, small).json().get("decision").asBoolean()).isTrue();
        assertThat(evaluate(AccessPaths.EVALUATION, token, small.replace("500", "5000")).json().get("decision").asBoolean()).isFalse();
    }

    @Test
    void evaluationWhenSubjectHasABindingInTheDatabaseThenItCounts() {
        var ada = user();
        String id = ada.user().toString();
        String body = request(id, "project:archive", "project", "42", "{}");
        assertThat(evaluate(AccessPaths.EVALUATION, token, body).json().get("decision").asBoolean()).isFalse();
        server.doorman.access().bind(id, "manager", Optional.of("project/42"), Optional.empty(), ClientInfo.unknown());
        assertThat(evaluate(AccessPaths.EVALUATION, token, body).json().get("decision").asBoolean()).isTrue();
        // Roles claimed in the request do not count: they come from Doorman only.
        String claimed = "{\"subject\":{\"type\":\"user\",\"id\":\"eve\",\"properties\":{\"roles\":[\"admin\"]}},"
                + "\"action\":{\"name\":\"project:archive\"},\"resource\":{\"type\":\"project\",\"id\":\"42\"}}";
        assertThat(evaluate(AccessPaths.EVALUATION, token, claimed).json().get("decision").asBoolean()).isFalse();
    }

    @Test
    void evaluationsWhenDefaultsAndItemsThenOneDecisionPerItemInOrder() {
        String body = "{\"subject\":{\"type\":\"user\",\"id\":\"ada\"},\"action\":{\"name\":\"note:update\"},"
                + "\"evaluations\":["
                + "{\"resource\":{\"type\":\"note\",\"id\":\"1\",\"properties\":{\"ownerId\":\"ada\"}}},"
                + "{\"resource\":{\"type\":\"note\",\"id\":\"2\",\"properties\":{\"ownerId\":\"bob\"}}},"
                + "{\"subject\":{\"type\":\"user\",\"id\":\"bob\"},\"resource\":{\"type\":\"note\",\"id\":\"2\",\"properties\":{\"ownerId\":\"bob\"}}}]}";
        var r = evaluate(AccessPaths.EVALUATIONS, token, body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("evaluations")).extracting(e -> e.get("decision").asBoolean()).containsExactly(true, false, true);

        var firstDeny = evaluate(AccessPaths.EVALUATIONS, token, body.replace("]}", "],\"options\":{\"evaluations_semantic\":\"deny_on_first_deny\"}}"));
        assertThat(firstDeny.json().get("evaluations")).extracting(e -> e.get("decision").asBoolean()).containsExactly(true, false);
        var firstPermit = evaluate(AccessPaths.EVALUATIONS, token, body.replace("]}", "],\"options\":{\"evaluations_semantic\":\"permit_on_first_permit\"}}"));
        assertThat(firstPermit.json().get("evaluations")).extracting(e -> e.get("decision").asBoolean()).containsExactly(true);
    }

    @Test
    void evaluationsWhenSubjectHasADatabaseBindingThenEveryItemSeesItAndAClientWithTheSameIdDoesNot() {
        var ada = user();
        String id = ada.user().toString();
        server.doorman.access().bind(id, "manager", Optional.of("project/42"), Optional.empty(), ClientInfo.unknown());
        String body = "{\"subject\":{\"type\":\"user\",\"id\":\"" + id + "\"},\"action\":{\"name\":\"task:update\"},\"evaluations\":["
                + "{\"resource\":{\"type\":\"task\",\"id\":\"1\",\"properties\":{\"parent\":\"project/42\"}}},"
                + "{\"resource\":{\"type\":\"task\",\"id\":\"2\",\"properties\":{\"parent\":\"project/42\"}}},"
                + "{\"resource\":{\"type\":\"task\",\"id\":\"3\",\"properties\":{\"parent\":\"project/43\"}}},"
                + "{\"subject\":{\"type\":\"client\",\"id\":\"" + id + "\"},\"resource\":{\"type\":\"task\",\"id\":\"1\",\"properties\":{\"parent\":\"project/42\"}}}]}";
        var r = evaluate(AccessPaths.EVALUATIONS, token, body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("evaluations")).extracting(e -> e.get("decision").asBoolean()).containsExactly(true, true, false, false);
        assertThat(r.json().at("/evaluations/0/context/reason").asText()).isEqualTo("allowed: role manager bound on project/42 grants task:*");
    }

    @Test
    void evaluationWhenClientDeletedThenItsBindingsStopAndAClientRegisteredAgainUnderItsIdDoesNotInheritThem() {
        String id = "svc-reused-" + USERS.incrementAndGet();
        server.createClient(ClientRegistration.confidential("Reused").id(id).grantType("client_credentials").build());
        server.doorman.access().bind(id, "viewer", Optional.empty(), Optional.empty(), ClientInfo.unknown());
        String body = "{\"subject\":{\"type\":\"client\",\"id\":\"" + id + "\"},\"action\":{\"name\":\"note:read\"},"
                + "\"resource\":{\"type\":\"note\",\"id\":\"n1\"}}";
        assertThat(evaluate(AccessPaths.EVALUATION, token, body).json().get("decision").asBoolean()).isTrue();

        server.doorman.clientService().delete(new com.nimbusds.oauth2.sdk.id.ClientID(id), ClientInfo.unknown());
        assertThat(evaluate(AccessPaths.EVALUATION, token, body).json().get("decision").asBoolean()).isFalse();
        server.clock.advance(Duration.ofSeconds(1));
        server.createClient(ClientRegistration.confidential("Reused again").id(id).grantType("client_credentials").build());
        assertThat(evaluate(AccessPaths.EVALUATION, token, body).json().get("decision").asBoolean()).isFalse();
        server.doorman.access().unbind(id, "viewer", Optional.empty(), Optional.empty(), ClientInfo.unknown());
        server.doorman.access().bind(id, "viewer", Optional.empty(), Optional.empty(), ClientInfo.unknown());
        assertThat(evaluate(AccessPaths.EVALUATION, token, body).json().get("decision").asBoolean()).isTrue();
    }

    @Test
    void evaluationsWithoutTheArrayThenAnsweredAsOneEvaluation() {
        var r = evaluate(AccessPaths.EVALUATIONS, token, request("ada", "note:update", "note", "n1", "{\"ownerId\":\"ada\"}"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("decision").asBoolean()).isTrue();
    }

    @Test
    void evaluationWithoutTokenThen401WithBearerChallengeAndNoErrorCode() {
        var r = evaluate(AccessPaths.EVALUATION, null, request("ada", "note:read", "note", "n1", "{}"));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.header("WWW-Authenticate")).contains("Bearer realm=\"doorman\", scope=\"doorman:authz\"");
        assertThat(r.body()).doesNotContain("\"decision\"");
    }

    @Test
    void evaluationWithTamperedExpiredOrForeignTokenThen401InvalidToken() {
        String[] parts = token.split("\\.");
        String tampered = parts[0] + "." + parts[1] + "." + (parts[2].charAt(0) == 'A' ? 'B' : 'A') + parts[2].substring(1);
        for (String bad : List.of(tampered, "not-a-jwt", parts[0] + "." + parts[1] + ".")) {
            var r = evaluate(AccessPaths.EVALUATION, bad, request("ada", "note:read", "note", "n1", "{}"));
            assertThat(r.status()).as(bad).isEqualTo(401);
            assertThat(r.header("WWW-Authenticate")).contains("Bearer realm=\"doorman\", error=\"invalid_token\"");
            assertThat(r.body()).doesNotContain("\"decision\"");
        }
        var http = server.client();
        var basic = http.send(http.request(AccessPaths.EVALUATION).header("Authorization", "Basic YTpi")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(basic.status()).isEqualTo(401);
    }

    @Test
    void evaluationWhenTokenExpiredThen401() {
        String fresh = clientToken("doorman:authz");
        server.clock.advance(Duration.ofHours(2));
        try {
            assertThat(evaluate(AccessPaths.EVALUATION, fresh, request("ada", "note:read", "note", "n1", "{}")).status()).isEqualTo(401);
        } finally {
            server.clock.advance(Duration.ofHours(-2));
        }
    }

    @Test
    void evaluationWithTokenLackingTheScopeThen403InsufficientScope() {
        String other = clientToken("notes:read");
        var r = evaluate(AccessPaths.EVALUATION, other, request("ada", "note:read", "note", "n1", "{}"));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("WWW-Authenticate")).contains("Bearer realm=\"doorman\", error=\"insufficient_scope\", scope=\"doorman:authz\"");
        assertThat(r.json().get("code").asText()).isEqualTo("auth.insufficient_scope");
    }

    @Test
    void evaluationWithOnlyASessionCookieThen401() {
        var ada = user();
        var r = ada.http().send(ada.http().request(AccessPaths.EVALUATION).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request("ada", "note:read", "note", "n1", "{}"))));
        assertThat(r.status()).isEqualTo(401);
    }

    @Test
    void evaluationWhenBodyMalformedThen400NamingTheProblem() {
        record Case(String body, String code) { }
        for (var c : List.of(
                new Case("{", "request.malformed_json"),
                new Case("[]", "request.not_an_object"),
                new Case("{\"action\":{\"name\":\"note:read\"},\"resource\":{\"type\":\"note\",\"id\":\"1\"}}", "request.missing_field"),
                new Case(request("ada", "note:read", "note", "n1", "{}").replace("}}", "},\"extra\":1}"), "request.unknown_field"),
                new Case(request("ada", "note:read", "note", "n1", "{}").replace("\"id\":\"ada\"", "\"id\":\"ada\",\"name\":\"Ada\""), "request.unknown_field"),
                new Case(request("ada", "note:read", "note", "n1", "{}").replace("\"type\":\"user\"", "\"type\":\"robot\""), "authzen.invalid_subject"),
                new Case(request("ada", "read", "note", "n1", "{}"), "authzen.invalid_action"),
                new Case(request("ada", "note:read", "note", "n1", "[]"), "request.wrong_type"),
                new Case(request("ada", "note:read", "note", "n1", "{\"type\":\"x\"}"), "authzen.invalid_resource"),
                new Case(request("ada", "note:read", "note", "n1", "{}").replace("\"id\":\"ada\"", "\"id\":7"), "request.wrong_type"))) {
            var r = evaluate(AccessPaths.EVALUATION, token, c.body());
            assertThat(r.status()).as(c.body() + " -> " + r.body()).isEqualTo(400);
            assertThat(r.json().get("code").asText()).as(c.body()).isEqualTo(c.code());
        }
        var http = server.client();
        var form = http.send(http.request(AccessPaths.EVALUATION).header("Authorization", "Bearer " + token)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(form.status()).isEqualTo(415);
        var item = evaluate(AccessPaths.EVALUATIONS, token, "{\"evaluations\":[{\"subject\":{\"type\":\"user\",\"id\":\"a\"},\"action\":{\"name\":\"note:read\"}}]}");
        assertThat(item.status()).isEqualTo(400);
        assertThat(item.json().get("detail").asText()).isEqualTo("Missing field 'resource'.");
        var semantic = evaluate(AccessPaths.EVALUATIONS, token, "{\"evaluations\":[],\"options\":{\"evaluations_semantic\":\"maybe\"}}");
        assertThat(semantic.json().get("code").asText()).isEqualTo("authzen.invalid_options");
    }

    // ---- the administrators' API ----

    private TestServer.LoggedIn admin() {
        var who = user();
        server.doorman.roles().setRoles(who.user(), Set.of("admin"));
        return who;
    }

    @Test
    void adminApiWhenAdminThenBindListAndUnbindEachAudited() {
        var admin = admin();
        var ada = user();
        String id = ada.user().toString();
        long boundBefore = events(AuditType.ROLE_BOUND);
        var bound = admin.http().postJson(AccessPaths.ADMIN_BINDINGS, "{\"subject\":\"" + id + "\",\"role\":\"manager\",\"resource\":\"project/42\"}");
        assertThat(bound.status()).as(bound.body()).isEqualTo(201);
        assertThat(bound.json().get("resource").asText()).isEqualTo("project/42");
        assertThat(admin.http().postJson(AccessPaths.ADMIN_BINDINGS, "{\"subject\":\"" + id + "\",\"role\":\"manager\",\"resource\":\"project/42\"}").status()).isEqualTo(200);
        assertThat(events(AuditType.ROLE_BOUND)).isEqualTo(boundBefore + 1);

        var list = admin.http().get(AccessPaths.ADMIN_BINDINGS + "?subject=" + id);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json()).hasSize(1);
        assertThat(list.json().get(0).get("role").asText()).isEqualTo("manager");
        assertThat(list.json().get(0).get("createdAt").asText()).isEqualTo(server.clock.instant().toString());

        long unboundBefore = events(AuditType.ROLE_UNBOUND);
        var http = admin.http();
        var removed = http.send(http.request(AccessPaths.ADMIN_BINDINGS + "?subject=" + id + "&role=manager&resource=project/42").DELETE());
        assertThat(removed.status()).as(removed.body()).isEqualTo(204);
        var again = http.send(http.request(AccessPaths.ADMIN_BINDINGS + "?subject=" + id + "&role=manager&resource=project/42").DELETE());
        assertThat(again.status()).isEqualTo(404);
        assertThat(events(AuditType.ROLE_UNBOUND)).isEqualTo(unboundBefore + 1);
    }

    @Test
    void adminApiWhenBadBindingThen400AndNothingChanges() {
        var admin = admin();
        var ada = user();
        String id = ada.user().toString();
        for (String body : List.of("{\"subject\":\"" + id + "\",\"role\":\"root\"}", "{\"subject\":\"nobody-here\",\"role\":\"viewer\"}",
                "{\"subject\":\"" + id + "\",\"role\":\"viewer\",\"resource\":\"project\"}", "{\"subject\":\"" + id + "\",\"role\":\"viewer\",\"roles\":[\"admin\"]}")) {
            var r = admin.http().postJson(AccessPaths.ADMIN_BINDINGS, body);
            assertThat(r.status()).as(body).isEqualTo(400);
        }
        assertThat(server.doorman.access().bindings(Optional.of(id))).isEmpty();
    }

    @Test
    void adminApiWhenNotAdminThen403AndAuditedAndWhenAnonymousThen401() {
        var ada = user();
        long before = denials();
        assertThat(ada.http().get(AccessPaths.ADMIN_BINDINGS).status()).isEqualTo(403);
        var bind = ada.http().postJson(AccessPaths.ADMIN_BINDINGS, "{\"subject\":\"" + ada.user() + "\",\"role\":\"admin\"}");
        assertThat(bind.status()).isEqualTo(403);
        assertThat(bind.json().get("code").asText()).isEqualTo("access.forbidden");
        assertThat(denials()).isEqualTo(before + 2);
        assertThat(server.doorman.access().bindings(Optional.of(ada.user().toString()))).isEmpty();
        assertThat(server.client().get(AccessPaths.ADMIN_BINDINGS).status()).isEqualTo(401);
    }

    @Test
    void adminApiWhenAdminRoleRemovedThenNextRequestOnSameSessionIs403() {
        var admin = admin();
        assertThat(admin.http().get(AccessPaths.ADMIN_BINDINGS).status()).isEqualTo(200);
        server.doorman.roles().setRoles(admin.user(), Set.of());
        assertThat(admin.http().get(AccessPaths.ADMIN_BINDINGS).status()).isEqualTo(403);
    }

    @Test
    void adminApiWhenLoginOlderThan15MinutesThenChangesNeedReauthentication() {
        var admin = admin();
        var ada = user();
        server.clock.advance(Duration.ofMinutes(16));
        try {
            var r = admin.http().postJson(AccessPaths.ADMIN_BINDINGS, "{\"subject\":\"" + ada.user() + "\",\"role\":\"viewer\"}");
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.json().get("code").asText()).isEqualTo("access.reauthentication_required");
            assertThat(admin.http().get(AccessPaths.ADMIN_BINDINGS).status()).isEqualTo(200);
        } finally {
            server.clock.advance(Duration.ofMinutes(-16));
        }
        assertThat(server.doorman.access().bindings(Optional.of(ada.user().toString()))).isEmpty();
    }

    @Test
    void adminApiWhenCsrfHeaderMissingThen403AndNothingChanges() {
        var admin = admin();
        var ada = user();
        admin.http().clearHeader("X-CSRF-Token");
        var r = admin.http().postJson(AccessPaths.ADMIN_BINDINGS, "{\"subject\":\"" + ada.user() + "\",\"role\":\"viewer\"}");
        assertThat(r.status()).isEqualTo(403);
        assertThat(server.doorman.access().bindings(Optional.of(ada.user().toString()))).isEmpty();
    }

    private long denials() {
        return events(AuditType.ACCESS_DENIED);
    }

    private long events(AuditType type) {
        return server.doorman.auditTrail().recent(10_000).stream().filter(e -> e.type() == type).count();
    }
}
