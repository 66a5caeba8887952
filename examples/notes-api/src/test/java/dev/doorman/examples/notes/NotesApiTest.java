package dev.doorman.examples.notes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.doorman.account.Email;
import dev.doorman.account.Password;
import dev.doorman.audit.AuditLog;
import dev.doorman.provisioning.CreateUserOutcome;
import dev.doorman.provisioning.NewUser;
import dev.doorman.provisioning.ProvisioningService;
import dev.doorman.support.ClientInfo;
import dev.doorman.testkit.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** notes-api against the real Doorman it embeds, on a random port, attacked as an attacker would. */
class NotesApiTest {
    static final String PASSWORD = "correct horse battery staple";
    static NotesApp app;
    static String base;

    @BeforeAll
    static void start() throws IOException {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        base = "http://127.0.0.1:" + port;
        app = NotesApp.start(new NotesSettings(port, URI.create(base), Files.createTempDirectory("notes-api"), Optional.empty()));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    /** A verified account made as the operator's {@code user create} would, logged in through Doorman's JSON API. */
    static TestHttp loggedIn(String email) {
        var doorman = app.doorman();
        var provisioning = new ProvisioningService(doorman.users(), doorman.roles(), doorman.passwordHasher(), doorman.passwordPolicy(),
                doorman.accounts(), doorman.clientStore(), doorman.database(), new AuditLog(doorman.auditTrail(), Clock.systemUTC()),
                Clock.systemUTC());
        var created = provisioning.createUser(new NewUser(Email.parse(email).orElseThrow(), Optional.empty(), new Password(PASSWORD), true,
                Set.of()), new ClientInfo("127.0.0.1", "NotesApiTest"));
        assertThat(created).isInstanceOf(CreateUserOutcome.Created.class);
        return login(email);
    }

    static TestHttp login(String email) {
        var http = new TestHttp(base);
        var login = http.postJson("/api/v1/session", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        http.setHeader("X-CSRF-Token", login.json().get("csrfToken").asText());
        return http;
    }

    static JsonNode create(TestHttp http, String title, String body) {
        var created = http.postJson("/api/notes", "{\"title\":\"" + title + "\",\"body\":\"" + body + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json();
    }

    static TestHttp.Response put(TestHttp http, String path, String json) {
        return http.send(http.request(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    static void assertProblem(TestHttp.Response response, int status, String code) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(response.json().get("code").asText()).isEqualTo(code);
    }

    @Test
    void registrationThroughDoormansJsonApiThenTheNewAccountKeepsNotes() throws InterruptedException {
        var http = new TestHttp(base);
        assertThat(http.postJson("/api/v1/accounts", "{\"email\":\"newcomer@example.org\",\"password\":\"" + PASSWORD + "\"}").status()).isEqualTo(202);
        String outbox = http.get("/dev/outbox").body();
        for (long deadline = System.nanoTime() + 10_000_000_000L; !outbox.contains("verify-email?token=") && System.nanoTime() < deadline; ) {
            Thread.sleep(20);
            outbox = http.get("/dev/outbox").body();
        }
        String token = outbox.replaceAll("(?s).*verify-email\\?token=([A-Za-z0-9_-]{43}).*", "$1");
        assertThat(http.postJson("/api/v1/accounts/verify", "{\"token\":\"" + token + "\"}").status()).isEqualTo(204);

        var newcomer = login("newcomer@example.org");
        var note = create(newcomer, "Groceries", "milk\\neggs");
        assertThat(note.get("body").asText()).isEqualTo("milk\neggs");
        assertThat(newcomer.get("/api/notes").json()).hasSize(1);
    }

    @Test
    void ownerWhenCreatingReadingUpdatingAndDeletingThenEachStepIsKept() throws InterruptedException {
        var ada = loggedIn("ada.crud@example.org");
        var note = create(ada, "Plan", "first draft");
        String id = note.get("id").asText();
        assertThat(id).matches("n_[A-Za-z0-9_-]{22}");
        assertThat(note.get("createdAt").asText()).isEqualTo(note.get("updatedAt").asText());

        var read = ada.get("/api/notes/" + id);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("title").asText()).isEqualTo("Plan");

        Thread.sleep(5);
        var updated = put(ada, "/api/notes/" + id, "{\"title\":\"Plan v2\",\"body\":\"second draft\"}");
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.json().get("createdAt").asText()).isEqualTo(note.get("createdAt").asText());
        assertThat(updated.json().get("updatedAt").asText()).isGreaterThan(note.get("updatedAt").asText());
        assertThat(ada.get("/api/notes").json().get(0).get("body").asText()).isEqualTo("second draft");

        assertThat(ada.deleteJson("/api/notes/" + id).status()).isEqualTo(204);
        assertProblem(ada.get("/api/notes/" + id), 404, "notes.not_found");
        assertThat(ada.get("/api/notes").json()).isEmpty();
    }

    @Test
    void noCredentialsWhenCallingTheApiThen401AndNothingIsWritten() {
        var ada = loggedIn("ada.anon@example.org");
        String id = create(ada, "Mine", "private").get("id").asText();
        var stranger = new TestHttp(base);
        assertProblem(stranger.get("/api/notes"), 401, "auth.unauthenticated");
        assertProblem(stranger.get("/api/notes/" + id), 401, "auth.unauthenticated");
        assertProblem(stranger.postJson("/api/notes", "{\"title\":\"x\",\"body\":\"y\"}"), 401, "auth.unauthenticated");
        assertProblem(put(stranger, "/api/notes/" + id, "{\"title\":\"x\",\"body\":\"y\"}"), 401, "auth.unauthenticated");
        assertProblem(stranger.deleteJson("/api/notes/" + id), 401, "auth.unauthenticated");
        assertThat(ada.get("/api/notes/" + id).json().get("title").asText()).isEqualTo("Mine");
        assertThat(ada.get("/api/notes").json()).hasSize(1);
    }

    @Test
    void anotherUsersNoteWhenReadUpdatedOrDeletedThen404LikeANoteThatDoesNotExistAndNothingChanges() {
        var ada = loggedIn("ada.idor@example.org");
        var bob = loggedIn("bob.idor@example.org");
        String id = create(ada, "Diary", "secret").get("id").asText();
        String missing = "n_AAAAAAAAAAAAAAAAAAAAAA";

        var readOther = bob.get("/api/notes/" + id);
        var readMissing = bob.get("/api/notes/" + missing);
        assertProblem(readOther, 404, "notes.not_found");
        assertThat(readOther.body()).isEqualTo(readMissing.body());   // no oracle: the same answer, byte for byte
        assertProblem(put(bob, "/api/notes/" + id, "{\"title\":\"pwned\",\"body\":\"pwned\"}"), 404, "notes.not_found");
        assertProblem(bob.deleteJson("/api/notes/" + id), 404, "notes.not_found");
        assertThat(bob.get("/api/notes").json()).isEmpty();

        var still = ada.get("/api/notes/" + id).json();
        assertThat(still.get("title").asText()).isEqualTo("Diary");
        assertThat(still.get("body").asText()).isEqualTo("secret");
        assertThat(still.get("updatedAt").asText()).isEqualTo(still.get("createdAt").asText());
    }

    @Test
    void missingOrForeignCsrfTokenWhenWritingThen403AndNothingChanges() {
        var ada = loggedIn("ada.csrf@example.org");
        loggedIn("bob.csrf@example.org");
        String id = create(ada, "Keep", "me").get("id").asText();

        ada.clearHeader("X-CSRF-Token");
        assertProblem(ada.postJson("/api/notes", "{\"title\":\"x\",\"body\":\"y\"}"), 403, "csrf.invalid_token");
        assertProblem(put(ada, "/api/notes/" + id, "{\"title\":\"x\",\"body\":\"y\"}"), 403, "csrf.invalid_token");
        assertProblem(ada.deleteJson("/api/notes/" + id), 403, "csrf.invalid_token");

        // A token is bound to its session: bob's token does not work with ada's cookie.
        ada.setHeader("X-CSRF-Token", bobToken());
        assertProblem(put(ada, "/api/notes/" + id, "{\"title\":\"x\",\"body\":\"y\"}"), 403, "csrf.invalid_token");

        var unchanged = login("ada.csrf@example.org");
        assertThat(unchanged.get("/api/notes").json()).hasSize(1);
        assertThat(unchanged.get("/api/notes/" + id).json().get("title").asText()).isEqualTo("Keep");
    }

    private static String bobToken() {
        var http = new TestHttp(base);
        return http.postJson("/api/v1/session", "{\"email\":\"bob.csrf@example.org\",\"password\":\"" + PASSWORD + "\"}")
                .json().get("csrfToken").asText();
    }

    @Test
    void crossSitePostWhenTheOriginIsAnotherSiteThen403EvenWithTheToken() {
        var ada = loggedIn("ada.origin@example.org");
        String id = create(ada, "Keep", "me").get("id").asText();
        String json = "{\"title\":\"forged\",\"body\":\"forged\"}";
        assertProblem(ada.send(ada.request("/api/notes").header("Content-Type", "application/json").header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString(json))), 403, "csrf.cross_origin");
        assertProblem(ada.send(ada.request("/api/notes/" + id).header("Content-Type", "application/json").header("Sec-Fetch-Site", "cross-site")
                .PUT(HttpRequest.BodyPublishers.ofString(json))), 403, "csrf.cross_origin");
        assertProblem(ada.send(ada.request("/api/notes/" + id).header("Sec-Fetch-Site", "same-site").DELETE()), 403, "csrf.cross_origin");
        assertProblem(ada.send(ada.request("/api/notes/" + id).header("Origin", "null").DELETE()), 403, "csrf.cross_origin");
        assertThat(ada.get("/api/notes").json()).hasSize(1);
        assertThat(ada.get("/api/notes/" + id).json().get("title").asText()).isEqualTo("Keep");

        // The app's own origin passes.
        assertThat(ada.send(ada.request("/api/notes/" + id).header("Content-Type", "application/json").header("Origin", base)
                .PUT(HttpRequest.BodyPublishers.ofString(json))).status()).isEqualTo(200);
    }

    @Test
    void tamperedSessionCookieWhenUsedThen401AndNothingChanges() {
        var ada = loggedIn("ada.tamper@example.org");
        String id = create(ada, "Keep", "me").get("id").asText();
        String name = app.doorman().settings().session().sessionCookieName();
        String cookie = ada.cookies().get(name);
        assertThat(cookie).isNotNull();

        var forger = new TestHttp(base);
        forger.setHeader("X-CSRF-Token", "anything");
        char last = cookie.charAt(cookie.length() - 1);
        forger.setCookie(name, cookie.substring(0, cookie.length() - 1) + (last == 'A' ? 'B' : 'A'));
        assertProblem(forger.get("/api/notes/" + id), 401, "auth.unauthenticated");
        assertProblem(put(forger, "/api/notes/" + id, "{\"title\":\"x\",\"body\":\"y\"}"), 401, "auth.unauthenticated");
        assertProblem(forger.deleteJson("/api/notes/" + id), 401, "auth.unauthenticated");
        forger.setCookie(name, "not-a-session");
        assertProblem(forger.get("/api/notes"), 401, "auth.unauthenticated");
        assertThat(ada.get("/api/notes/" + id).json().get("title").asText()).isEqualTo("Keep");
    }

    @Test
    void malformedInputWhenCreatingOrUpdatingThen4xxProblemAndNothingChanges() {
        var ada = loggedIn("ada.input@example.org");
        String id = create(ada, "Keep", "me").get("id").asText();
        String longTitle = "t".repeat(NoteDraft.MAX_TITLE + 1);
        String longBody = "b".repeat(NoteDraft.MAX_BODY + 1);
        String[][] cases = {
                {"{\"title\":\"x\",", "request.malformed_json"},
                {"[\"x\"]", "request.not_an_object"},
                {"{\"title\":\"x\",\"body\":\"y\",\"ownerId\":\"someone\"}", "request.unknown_field"},
                {"{\"title\":5,\"body\":\"y\"}", "request.wrong_type"},
                {"{\"title\":\"x\",\"body\":[\"y\"]}", "request.wrong_type"},
                {"{\"title\":\"x\"}", "request.missing_field"},
                {"{\"title\":\"x\",\"title\":\"z\",\"body\":\"y\"}", "request.malformed_json"},
                {"{\"title\":\"x\",\"body\":\"y\"} {}", "request.malformed_json"},
                {"{\"title\":\"  \",\"body\":\"y\"}", "notes.invalid_note"},
                {"{\"title\":\"a\\u0000b\",\"body\":\"y\"}", "notes.invalid_note"},
                {"{\"title\":\"" + longTitle + "\",\"body\":\"y\"}", "notes.invalid_note"},
                {"{\"title\":\"x\",\"body\":\"" + longBody + "\"}", "notes.invalid_note"},
        };
        for (String[] c : cases) {
            assertProblem(ada.postJson("/api/notes", c[0]), 400, c[1]);
            assertProblem(put(ada, "/api/notes/" + id, c[0]), 400, c[1]);
        }
        assertProblem(ada.send(ada.request("/api/notes").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"x\",\"body\":\"y\"}"))), 415, "request.unsupported_media_type");
        var huge = ada.postJson("/api/notes", "{\"title\":\"x\",\"body\":\"" + "b".repeat(70_000) + "\"}");
        assertThat(huge.status()).isEqualTo(413);

        assertThat(ada.get("/api/notes").json()).hasSize(1);
        var kept = ada.get("/api/notes/" + id).json();
        assertThat(kept.get("title").asText()).isEqualTo("Keep");
        assertThat(kept.get("body").asText()).isEqualTo("me");
    }

    @Test
    void pageWhenSignedOutThenSendsToLoginAndWhenSignedInRendersEscapedNotesWithTheToken() {
        var stranger = new TestHttp(base);
        var signedOut = stranger.get("/notes");
        assertThat(signedOut.status()).isEqualTo(303);
        assertThat(signedOut.location()).hasValue("/login?returnTo=/notes");

        var ada = loggedIn("ada.page@example.org");
        create(ada, "<script>alert(1)</script>", "a & b");
        var page = ada.get("/notes");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'none'").doesNotContain("script-src"));
        assertThat(page.body()).contains("&lt;script&gt;alert(1)&lt;/script&gt;", "a &amp; b").doesNotContain("<script>");
        String token = page.csrfField();
        assertThat(token).isNotBlank();

        var pageClient = new TestHttp(base);
        ada.cookies().forEach(pageClient::setCookie);
        var missingToken = pageClient.postForm("/notes", java.util.Map.of("title", "via form", "body", ""));
        assertThat(missingToken.status()).isEqualTo(403);
        var posted = pageClient.postForm("/notes", new java.util.LinkedHashMap<>(java.util.Map.of("csrf", token, "title", "via form", "body", "hi")));
        assertThat(posted.status()).as(posted.body()).isEqualTo(303);
        assertThat(ada.get("/api/notes").json()).hasSize(2);
        String id = ada.get("/api/notes").json().get(0).get("id").asText();
        var edited = pageClient.postForm("/notes/" + id, java.util.Map.of("csrf", token, "title", "edited", "body", "x"));
        assertThat(edited.status()).isEqualTo(303);
        assertThat(ada.get("/api/notes/" + id).json().get("title").asText()).isEqualTo("edited");

        var bob = loggedIn("bob.page@example.org");
        String bobsToken = bob.get("/notes").csrfField();
        assertThat(bob.postForm("/notes/" + id + "/delete", java.util.Map.of("csrf", bobsToken)).status()).isEqualTo(404);
        assertThat(pageClient.postForm("/notes/" + id + "/delete", java.util.Map.of("csrf", token)).status()).isEqualTo(303);
        assertThat(ada.get("/api/notes").json()).hasSize(1);
    }
}
