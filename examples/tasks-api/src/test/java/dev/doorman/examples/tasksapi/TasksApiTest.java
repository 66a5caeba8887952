package dev.doorman.examples.tasksapi;

import dev.doorman.examples.tasksapi.Api.Reply;
import dev.doorman.examples.tasksapi.DoormanFixture.Person;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tasks API against a real Doorman over HTTP, attacked the way its callers could attack it: without a token,
 * with a forged, expired, revoked or foreign one, without the scope, and as a worker or manager reaching beyond their
 * project or their role. Every refusal is problem+json and changes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TasksApiTest {
    private static final String SCOPES = "openid tasks:read tasks:write";

    private DoormanFixture doorman;
    private TasksApi.Running running;
    private Api api;

    private Person ada;     // tasks:admin at Doorman: this API's admin
    private Person max;     // manager of project A
    private Person mia;     // manager of project B
    private Person wanda;   // worker on project A
    private Person walt;    // worker on project A
    private Person eve;     // no project at all
    private String adaToken, maxToken, miaToken, wandaToken, waltToken, eveToken;
    private String projectA, projectB;

    @BeforeAll
    void start() throws Exception {
        doorman = new DoormanFixture();
        Path dir = Files.createTempDirectory("tasks-api-test");
        var settings = new TasksSettings(doorman.issuer(), DoormanFixture.API, "127.0.0.1", 0, dir.resolve("tasks.db"),
                TasksSettings.DEFAULT_ADMIN_ROLE, Optional.empty(), Duration.ofSeconds(1));
        running = TasksApi.start(settings, Clock.systemUTC());
        api = new Api(running.port());

        ada = doorman.person("ada", "tasks:admin");
        max = doorman.person("max");
        mia = doorman.person("mia");
        wanda = doorman.person("wanda");
        walt = doorman.person("walt");
        eve = doorman.person("eve");
        adaToken = doorman.userToken(ada, SCOPES);
        maxToken = doorman.userToken(max, SCOPES);
        miaToken = doorman.userToken(mia, SCOPES);
        wandaToken = doorman.userToken(wanda, SCOPES);
        waltToken = doorman.userToken(walt, SCOPES);
        eveToken = doorman.userToken(eve, SCOPES);

        // The admin sets up two projects and their managers; the managers staff their own project.
        projectA = created(api.send("POST", "/api/projects", adaToken, "{\"name\":\"Apollo\"}")).get("id").asText();
        projectB = created(api.send("POST", "/api/projects", adaToken, "{\"name\":\"Borealis\"}")).get("id").asText();
        created(putMember(adaToken, projectA, max.member(), "manager"));
        created(putMember(adaToken, projectB, mia.member(), "manager"));
        created(putMember(maxToken, projectA, wanda.member(), "worker"));
        created(putMember(maxToken, projectA, walt.member(), "worker"));
    }

    @AfterAll
    void stop() {
        if (running != null) running.close();
        if (doorman != null) doorman.close();
    }

    // --- helpers

    private Reply putMember(String token, String project, String member, String role) {
        return api.send("PUT", "/api/projects/" + project + "/members/" + member, token, "{\"role\":\"" + role + "\"}");
    }

    private static com.fasterxml.jackson.databind.JsonNode created(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json();
    }

    /** A new task in {@code project}, created by its manager, assigned to {@code assignee} (or nobody). */
    private String task(String managerToken, String project, Person assignee) {
        String body = assignee == null ? "{\"title\":\"Write the report\"}"
                : "{\"title\":\"Write the report\",\"assignee\":\"" + assignee.member() + "\"}";
        return created(api.send("POST", "/api/projects/" + project + "/tasks", managerToken, body)).get("id").asText();
    }

    private com.fasterxml.jackson.databind.JsonNode taskAsAdmin(String id) {
        Reply reply = api.get("/api/tasks/" + id, adaToken);
        assertThat(reply.status()).isEqualTo(200);
        return reply.json();
    }

    private static void assertProblem(Reply reply, int status, String code) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        var json = reply.json();
        assertThat(json.get("status").asInt()).isEqualTo(status);
        assertThat(json.get("type").asText()).isEqualTo("about:blank");
        assertThat(json.get("title").asText()).isNotBlank();
        assertThat(json.get("detail").asText()).isNotBlank();
        if (code != null) assertThat(json.get("code").asText()).isEqualTo(code);
    }

    // --- tokens: no token, forged, expired, another audience, missing scope, revoked

    @Test
    void requestWithoutTokenIs401WithABareBearerChallenge() {
        Reply reply = api.get("/api/projects", null);
        assertProblem(reply, 401, "auth.unauthenticated");
        assertThat(reply.headerValue("WWW-Authenticate")).contains("Bearer");
        // A write without a token changes nothing either.
        assertProblem(api.send("POST", "/api/projects", null, "{\"name\":\"Sneaky\"}"), 401, "auth.unauthenticated");
        assertThat(api.get("/api/projects", adaToken).json().get("projects")).noneMatch(p -> p.get("name").asText().equals("Sneaky"));
    }

    @Test
    void tamperedTokenIs401InvalidToken() {
        String[] parts = adaToken.split("\\.");
        // Claims rewritten (the signature no longer matches), then the signature itself altered.
        String otherClaims = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + (parts[1].endsWith("AA") ? "BB" : "AA") + "." + parts[2];
        String otherSignature = parts[0] + "." + parts[1] + "." + (parts[2].charAt(0) == 'A' ? 'B' : 'A') + parts[2].substring(1);
        String unsigned = parts[0] + "." + parts[1] + ".";
        for (String forged : List.of(otherClaims, otherSignature, unsigned, "not-a-token")) {
            Reply reply = api.get("/api/projects", forged);
            assertProblem(reply, 401, "auth.unauthenticated");
            assertThat(reply.headerValue("WWW-Authenticate")).contains("Bearer error=\"invalid_token\"");
        }
    }

    @Test
    void expiredTokenIs401InvalidToken() {
        Instant now = doorman.server.clock.instant();
        doorman.server.clock.set(now.minus(Duration.ofMinutes(20)));   // issued 20 minutes ago: expired 15 minutes ago
        String expired;
        try {
            expired = doorman.clientToken(doorman.bot, "tasks:read");
        } finally {
            doorman.server.clock.set(now);
        }
        Reply reply = api.get("/api/projects", expired);
        assertProblem(reply, 401, null);
        assertThat(reply.headerValue("WWW-Authenticate")).contains("Bearer error=\"invalid_token\"");
        assertThat(api.get("/api/projects", doorman.clientToken(doorman.bot, "tasks:read")).status()).as("a fresh one works").isEqualTo(200);
    }

    @Test
    void tokenForAnotherAudienceIs401EvenWithTheRightScopeNames() {
        String forPayments = doorman.clientToken(doorman.otherApi, "tasks:read tasks:write");
        Reply reply = api.get("/api/projects", forPayments);
        assertProblem(reply, 401, null);
        assertThat(reply.headerValue("WWW-Authenticate")).contains("Bearer error=\"invalid_token\"");
    }

    @Test
    void missingScopeIs403InsufficientScopeNamingTheScope() {
        String readOnly = doorman.userToken(ada, "openid tasks:read");
        Reply write = api.send("POST", "/api/projects", readOnly, "{\"name\":\"Read-only\"}");
        assertProblem(write, 403, "auth.insufficient_scope");
        assertThat(write.headerValue("WWW-Authenticate")).contains("Bearer error=\"insufficient_scope\", scope=\"tasks:write\"");
        assertThat(api.get("/api/projects", readOnly).json().get("projects")).noneMatch(p -> p.get("name").asText().equals("Read-only"));

        String writeOnly = doorman.clientToken(doorman.bot, "tasks:write");
        Reply read = api.get("/api/projects", writeOnly);
        assertProblem(read, 403, "auth.insufficient_scope");
        assertThat(read.headerValue("WWW-Authenticate")).contains("scope=\"tasks:read\"");

        String openidOnly = doorman.userToken(wanda, "openid");
        assertProblem(api.get("/api/projects/" + projectA + "/tasks", openidOnly), 403, "auth.insufficient_scope");
    }

    @Test
    void revokedTokenIsRefusedOnceTheRevocationListIsPolled() throws InterruptedException {
        String token = doorman.userToken(walt, SCOPES);
        assertThat(api.get("/api/projects", token).status()).isEqualTo(200);
        doorman.revoke(doorman.web, token);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Reply reply = api.get("/api/projects", token);
        while (reply.status() == 200 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            reply = api.get("/api/projects", token);
        }
        assertProblem(reply, 401, null);
        assertThat(reply.headerValue("WWW-Authenticate")).contains("Bearer error=\"invalid_token\"");
        assertThat(api.get("/api/projects", waltToken).status()).as("only that token is revoked").isEqualTo(200);
    }

    @Test
    void twoAuthorizationHeadersAre400AndATokenInTheQueryIsIgnored() {
        Reply two = api.send(api.request("/api/projects", adaToken).header("Authorization", "Bearer " + maxToken).GET());
        assertProblem(two, 400, "auth.invalid_request");
        Reply query = api.get("/api/projects?access_token=" + adaToken, null);
        assertProblem(query, 401, "auth.unauthenticated");
    }

    // --- workers

    @Test
    void workerReadsTheirProjectsTasksButAnotherProjectAndItsTasksAre404LikeMissingOnes() {
        String inA = task(maxToken, projectA, wanda);
        String inB = task(miaToken, projectB, null);

        assertThat(api.get("/api/projects/" + projectA + "/tasks", wandaToken).json().get("tasks")).anyMatch(t -> t.get("id").asText().equals(inA));
        assertThat(api.get("/api/tasks/" + inA, wandaToken).json().get("assignee").asText()).isEqualTo(wanda.member());
        var projects = api.get("/api/projects", wandaToken).json().get("projects");
        assertThat(projects).hasSize(1);
        assertThat(projects.get(0).get("id").asText()).isEqualTo(projectA);
        assertThat(projects.get(0).get("yourRole").asText()).isEqualTo("worker");

        Reply otherTask = api.get("/api/tasks/" + inB, wandaToken);
        Reply missingTask = api.get("/api/tasks/" + java.util.UUID.randomUUID(), wandaToken);
        assertProblem(otherTask, 404, "task.not_found");
        assertThat(otherTask.body()).as("not an oracle: the same answer as for a task that does not exist").isEqualTo(missingTask.body());
        assertProblem(api.get("/api/projects/" + projectB, wandaToken), 404, "project.not_found");
        assertProblem(api.get("/api/projects/" + projectB + "/tasks", wandaToken), 404, "project.not_found");
        assertThat(api.get("/api/projects/" + projectB, wandaToken).body()).isEqualTo(api.get("/api/projects/" + java.util.UUID.randomUUID(), wandaToken).body());
        // Nor can they change it.
        assertProblem(api.send("PATCH", "/api/tasks/" + inB, wandaToken, "{\"status\":\"done\"}"), 404, "task.not_found");
        assertThat(taskAsAdmin(inB).get("status").asText()).isEqualTo("todo");
    }

    @Test
    void workerChangesTheStatusOfTheirOwnTaskOnly() {
        String theirs = task(maxToken, projectA, wanda);
        String waltsTask = task(maxToken, projectA, walt);
        String nobodys = task(maxToken, projectA, null);

        Reply moved = api.send("PATCH", "/api/tasks/" + theirs, wandaToken, "{\"status\":\"doing\"}");
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        assertThat(moved.json().get("status").asText()).isEqualTo("doing");

        // Another worker's task, and an unassigned one: visible to her, so 403 (a 404 would hide nothing), unchanged.
        Reply others = api.send("PATCH", "/api/tasks/" + waltsTask, wandaToken, "{\"status\":\"done\"}");
        assertProblem(others, 403, "access.denied");
        assertThat(others.headerValue("WWW-Authenticate")).contains("insufficient_scope");
        assertProblem(api.send("PATCH", "/api/tasks/" + nobodys, wandaToken, "{\"status\":\"done\"}"), 403, "access.denied");
        assertThat(taskAsAdmin(waltsTask).get("status").asText()).isEqualTo("todo");
        assertThat(taskAsAdmin(nobodys).get("status").asText()).isEqualTo("todo");
    }

    @Test
    void workerCannotDoWhatManagersDoAndEachRefusalChangesNothing() {
        String theirs = task(maxToken, projectA, wanda);
        String before = api.get("/api/tasks/" + theirs, adaToken).body();

        assertProblem(api.send("POST", "/api/projects/" + projectA + "/tasks", wandaToken, "{\"title\":\"Mine now\"}"), 403, "access.denied");
        assertProblem(api.send("PATCH", "/api/tasks/" + theirs, wandaToken, "{\"title\":\"Renamed\"}"), 403, "access.denied");
        assertProblem(api.send("PATCH", "/api/tasks/" + theirs, wandaToken, "{\"assignee\":\"" + walt.member() + "\"}"), 403, "access.denied");
        assertProblem(api.send("PATCH", "/api/tasks/" + theirs, wandaToken, "{\"assignee\":null}"), 403, "access.denied");
        // Allowed and refused parts in one request: all refused, nothing applied (not even the allowed status).
        assertProblem(api.send("PATCH", "/api/tasks/" + theirs, wandaToken, "{\"status\":\"done\",\"title\":\"Renamed\"}"), 403, "access.denied");
        assertProblem(api.delete("/api/tasks/" + theirs, wandaToken), 403, "access.denied");
        assertProblem(api.get("/api/projects/" + projectA + "/members", wandaToken), 403, "access.denied");
        assertProblem(putMember(wandaToken, projectA, eve.member(), "worker"), 403, "access.denied");
        assertProblem(putMember(wandaToken, projectA, wanda.member(), "manager"), 403, "access.denied");
        assertProblem(api.delete("/api/projects/" + projectA + "/members/" + walt.member(), wandaToken), 403, "access.denied");
        assertProblem(api.send("POST", "/api/projects", wandaToken, "{\"name\":\"Side project\"}"), 403, "access.denied");

        assertThat(api.get("/api/tasks/" + theirs, adaToken).body()).isEqualTo(before);
        assertThat(api.get("/api/projects/" + projectA + "/tasks", wandaToken).json().get("tasks")).noneMatch(t -> t.get("title").asText().equals("Mine now"));
        var members = api.get("/api/projects/" + projectA + "/members", maxToken).json().get("members");
        assertThat(members).noneMatch(m -> m.get("member").asText().equals(eve.member()));
        assertThat(members).anyMatch(m -> m.get("member").asText().equals(wanda.member()) && m.get("role").asText().equals("worker"));
        assertThat(members).anyMatch(m -> m.get("member").asText().equals(walt.member()));
    }

    // --- managers

    @Test
    void managerCreatesAssignsAndManagesTheirProject() {
        Reply created = api.send("POST", "/api/projects/" + projectA + "/tasks", maxToken,
                "{\"title\":\"  Plan the sprint \",\"description\":\"Two weeks\",\"assignee\":\"" + walt.member() + "\"}");
        var task = created(created);
        assertThat(created.headerValue("Location")).contains("/api/tasks/" + task.get("id").asText());
        assertThat(task.get("title").asText()).isEqualTo("Plan the sprint");
        assertThat(task.get("status").asText()).isEqualTo("todo");
        String id = task.get("id").asText();

        Reply reassigned = api.send("PATCH", "/api/tasks/" + id, maxToken, "{\"assignee\":\"" + wanda.member() + "\",\"status\":\"doing\",\"title\":\"Plan it\"}");
        assertThat(reassigned.status()).as(reassigned.body()).isEqualTo(200);
        assertThat(reassigned.json().get("assignee").asText()).isEqualTo(wanda.member());
        assertThat(api.send("PATCH", "/api/tasks/" + id, maxToken, "{\"assignee\":null}").json().get("assignee").isNull()).isTrue();

        // Tasks go to members of the project only.
        assertProblem(api.send("PATCH", "/api/tasks/" + id, maxToken, "{\"assignee\":\"" + eve.member() + "\"}"), 422, "task.assignee_not_a_member");
        assertProblem(api.send("POST", "/api/projects/" + projectA + "/tasks", maxToken, "{\"title\":\"x\",\"assignee\":\"" + mia.member() + "\"}"),
                422, "task.assignee_not_a_member");
        assertThat(taskAsAdmin(id).get("assignee").isNull()).isTrue();

        // Members: add, change the role, remove; the removed member loses the project at once.
        Person temp = doorman.person("temp");
        String tempToken = doorman.userToken(temp, SCOPES);
        assertProblem(api.get("/api/projects/" + projectA, tempToken), 404, "project.not_found");
        created(putMember(maxToken, projectA, temp.member(), "worker"));
        assertThat(api.get("/api/projects/" + projectA, tempToken).status()).isEqualTo(200);
        Reply promoted = putMember(maxToken, projectA, temp.member(), "manager");
        assertThat(promoted.status()).isEqualTo(200);
        assertThat(promoted.json().get("role").asText()).isEqualTo("manager");
        assertThat(api.send("POST", "/api/projects/" + projectA + "/tasks", tempToken, "{\"title\":\"As a manager\"}").status()).isEqualTo(201);
        assertThat(api.delete("/api/projects/" + projectA + "/members/" + temp.member(), maxToken).status()).isEqualTo(204);
        assertProblem(api.get("/api/projects/" + projectA, tempToken), 404, "project.not_found");
        assertProblem(api.delete("/api/projects/" + projectA + "/members/" + temp.member(), maxToken), 404, "membership.not_found");

        assertThat(api.delete("/api/tasks/" + id, maxToken).status()).isEqualTo(204);
        assertProblem(api.get("/api/tasks/" + id, maxToken), 404, "task.not_found");
    }

    @Test
    void managerOfProjectACannotActOnProjectB() {
        String inB = task(miaToken, projectB, null);
        String before = api.get("/api/tasks/" + inB, adaToken).body();

        assertProblem(api.get("/api/projects/" + projectB, maxToken), 404, "project.not_found");
        assertProblem(api.get("/api/projects/" + projectB + "/tasks", maxToken), 404, "project.not_found");
        assertProblem(api.get("/api/tasks/" + inB, maxToken), 404, "task.not_found");
        assertProblem(api.send("POST", "/api/projects/" + projectB + "/tasks", maxToken, "{\"title\":\"Planted\"}"), 404, "project.not_found");
        assertProblem(api.send("PATCH", "/api/tasks/" + inB, maxToken, "{\"title\":\"Hijacked\",\"assignee\":\"" + max.member() + "\"}"), 404, "task.not_found");
        assertProblem(api.delete("/api/tasks/" + inB, maxToken), 404, "task.not_found");
        assertProblem(putMember(maxToken, projectB, max.member(), "manager"), 404, "project.not_found");
        assertProblem(api.get("/api/projects/" + projectB + "/members", maxToken), 404, "project.not_found");
        assertProblem(api.delete("/api/projects/" + projectB + "/members/" + mia.member(), maxToken), 404, "project.not_found");
        // A task of B cannot be pulled into A's manager's reach by assigning it to A's people either.
        assertProblem(api.send("PATCH", "/api/tasks/" + inB, miaToken, "{\"assignee\":\"" + wanda.member() + "\"}"), 422, "task.assignee_not_a_member");

        assertThat(api.get("/api/tasks/" + inB, adaToken).body()).isEqualTo(before);
        var members = api.get("/api/projects/" + projectB + "/members", miaToken).json().get("members");
        assertThat(members).hasSize(1);
        assertThat(members.get(0).get("member").asText()).isEqualTo(mia.member());
        assertThat(api.get("/api/projects/" + projectB + "/tasks", miaToken).json().get("tasks")).noneMatch(t -> t.get("title").asText().equals("Planted"));
    }

    @Test
    void managerWhoIsOnlyAWorkerOnAnotherProjectOnlyWorksThere() {
        created(putMember(miaToken, projectB, max.member(), "worker"));
        try {
            String inB = task(miaToken, projectB, max);
            assertThat(api.get("/api/tasks/" + inB, maxToken).status()).isEqualTo(200);
            assertThat(api.send("PATCH", "/api/tasks/" + inB, maxToken, "{\"status\":\"done\"}").status()).isEqualTo(200);
            assertProblem(api.send("PATCH", "/api/tasks/" + inB, maxToken, "{\"title\":\"Renamed\"}"), 403, "access.denied");
            assertProblem(api.send("POST", "/api/projects/" + projectB + "/tasks", maxToken, "{\"title\":\"x\"}"), 403, "access.denied");
            assertProblem(putMember(maxToken, projectB, wanda.member(), "worker"), 403, "access.denied");
        } finally {
            assertThat(api.delete("/api/projects/" + projectB + "/members/" + max.member(), miaToken).status()).isEqualTo(204);
        }
    }

    // --- admins and other roles from the token

    @Test
    void adminIsAllowedEverywhereWithoutBeingAMember() {
        var projects = api.get("/api/projects", adaToken).json().get("projects");
        List<String> ids = new ArrayList<>();
        projects.forEach(p -> ids.add(p.get("id").asText()));
        assertThat(ids).contains(projectA, projectB);

        String inB = task(adaToken, projectB, mia);
        assertThat(api.send("PATCH", "/api/tasks/" + inB, adaToken, "{\"status\":\"done\",\"title\":\"Checked\"}").status()).isEqualTo(200);
        assertThat(api.get("/api/projects/" + projectA + "/members", adaToken).status()).isEqualTo(200);
        assertThat(api.delete("/api/tasks/" + inB, adaToken).status()).isEqualTo(204);
        assertThat(api.get("/api/me", adaToken).json().get("admin").asBoolean()).isTrue();
    }

    @Test
    void otherRolesInTheTokenMeanNothingHereNotEvenDoormansOwnAdmin() {
        Person dora = doorman.person("dora", "admin", "manager", "worker");
        String doraToken = doorman.userToken(dora, SCOPES);
        assertProblem(api.send("POST", "/api/projects", doraToken, "{\"name\":\"Dora's\"}"), 403, "access.denied");
        assertThat(api.get("/api/projects", doraToken).json().get("projects")).isEmpty();
        assertProblem(api.get("/api/projects/" + projectA + "/tasks", doraToken), 404, "project.not_found");
        assertThat(api.get("/api/me", doraToken).json().get("admin").asBoolean()).isFalse();
        // Project managers are not admins either.
        assertProblem(api.send("POST", "/api/projects", maxToken, "{\"name\":\"Max's\"}"), 403, "access.denied");
        assertThat(api.get("/api/projects", eveToken).json().get("projects")).isEmpty();
    }

    @Test
    void machineCallerSeesOnlyTheProjectsItIsAMemberOfAndCannotPassForAUser() {
        String botToken = doorman.clientToken(doorman.bot, "tasks:read tasks:write");
        assertThat(api.get("/api/me", botToken).json().get("member").asText()).isEqualTo("client:tasks-bot");
        assertThat(api.get("/api/projects", botToken).json().get("projects")).isEmpty();
        assertProblem(api.get("/api/projects/" + projectA + "/tasks", botToken), 404, "project.not_found");

        created(putMember(maxToken, projectA, "client:tasks-bot", "worker"));
        assertThat(api.get("/api/projects/" + projectA + "/tasks", botToken).status()).isEqualTo(200);
        String botsTask = created(api.send("POST", "/api/projects/" + projectA + "/tasks", maxToken,
                "{\"title\":\"Nightly report\",\"assignee\":\"client:tasks-bot\"}")).get("id").asText();
        assertThat(api.send("PATCH", "/api/tasks/" + botsTask, botToken, "{\"status\":\"done\"}").status()).isEqualTo(200);
        String wandasTask = task(maxToken, projectA, wanda);
        assertProblem(api.send("PATCH", "/api/tasks/" + wandasTask, botToken, "{\"status\":\"done\"}"), 403, "access.denied");
        // A user whose sub equals the bot's client id is someone else: the bot cannot move that user's task.
        created(putMember(maxToken, projectA, "user:tasks-bot", "worker"));
        String namesakesTask = created(api.send("POST", "/api/projects/" + projectA + "/tasks", maxToken,
                "{\"title\":\"Namesake's\",\"assignee\":\"user:tasks-bot\"}")).get("id").asText();
        assertProblem(api.send("PATCH", "/api/tasks/" + namesakesTask, botToken, "{\"status\":\"done\"}"), 403, "access.denied");
        assertThat(taskAsAdmin(namesakesTask).get("status").asText()).isEqualTo("todo");
        // Nor can a machine caller create projects: client tokens carry no roles.
        assertProblem(api.send("POST", "/api/projects", botToken, "{\"name\":\"Bot's\"}"), 403, "access.denied");
    }

    // --- strict input

    @Test
    void malformedBodiesAre400AndChangeNothing() {
        String id = task(maxToken, projectA, wanda);
        String before = api.get("/api/tasks/" + id, adaToken).body();
        for (String body : List.of(
                "{\"status\":\"done\",\"status\":\"todo\"}",                 // duplicate member
                "{\"status\":\"done\"} {}",                                 // something after the object
                "{\"status\":\"finished\"}",                                // not a status
                "{\"status\":1}",                                           // wrong type
                "{\"title\":\"\"}",                                         // empty title
                "{\"title\":\"" + "x".repeat(201) + "\"}",                  // too long
                "{\"title\":\"a\\u202Eb\"}",                                // a bidirectional override
                "{\"owner\":\"" + max.member() + "\"}",                     // not a member of this request
                "{\"assignee\":\"" + max.sub() + "\"}",                     // a member id without its kind
                "{}",                                                       // nothing to change
                "[\"status\",\"done\"]",                                    // not an object
                "{\"status\":",                                             // not JSON
                "")) {
            assertProblem(api.send("PATCH", "/api/tasks/" + id, maxToken, body), 400, "request.invalid");
        }
        assertProblem(api.send(api.request("/api/tasks/" + id, maxToken).header("Content-Type", "text/plain")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"status\":\"done\"}"))), 415, "request.unsupported_media_type");
        assertProblem(api.send(api.request("/api/tasks/" + id, maxToken).header("Content-Type", "application/json; charset=iso-8859-1")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"status\":\"done\"}"))), 415, "request.unsupported_media_type");
        assertProblem(api.send("PATCH", "/api/tasks/" + id, maxToken, "{\"description\":\"" + "x".repeat(20_000) + "\"}"), 413, "request.too_large");
        assertProblem(putMember(maxToken, projectA, wanda.member(), "owner"), 400, "request.invalid");
        assertProblem(putMember(maxToken, projectA, "wanda", "worker"), 400, "request.invalid");
        assertProblem(api.send("POST", "/api/projects", adaToken, "{\"name\":42}"), 400, "request.invalid");
        assertThat(api.get("/api/tasks/" + id, adaToken).body()).isEqualTo(before);
    }

    @Test
    void malformedIdsAndUnknownRoutesAre404ProblemsAndOtherMethods405() {
        assertProblem(api.get("/api/tasks/not-a-uuid", adaToken), 404, "task.not_found");
        assertProblem(api.get("/api/tasks/" + java.util.UUID.randomUUID().toString().toUpperCase(), adaToken), 404, "task.not_found");
        assertProblem(api.get("/api/projects/1", adaToken), 404, "project.not_found");
        assertProblem(api.get("/api/nothing-here", adaToken), 404, "request.not_found");
        assertProblem(api.send("PUT", "/api/projects", adaToken, "{\"name\":\"x\"}"), 405, "request.method_not_allowed");
    }

    @Test
    void answersAreNotCachedAndSniffingIsOff() {
        Reply reply = api.get("/api/projects", adaToken);
        assertThat(reply.contentType()).startsWith("application/json");
        assertThat(reply.headerValue("Cache-Control")).contains("no-store");
        assertThat(reply.headerValue("X-Content-Type-Options")).contains("nosniff");
    }
}
