package dev.doorman.api;

import dev.doorman.testkit.TestHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.doorman.api.ApiAssertions.assertClientProblem;
import static dev.doorman.api.ApiAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input of every kind gets a 4xx problem+json with a {@code code}, never a 5xx or a stack trace, and changes nothing.
 * Registration is the probe for "nothing changed": after each refused request the address is still free.
 */
abstract class BadInputApiContract extends ApiContract {
    /** Every POST endpoint of the API that anyone may call. */
    private static final List<String> PUBLIC_POSTS = List.of(ACCOUNTS, VERIFY, VERIFY_RESEND, SESSION, RESET, RESET_CONFIRM);

    @Test
    void registerWhenBodyIsMalformedJsonThen400MalformedJsonAndNothingIsCreated() {
        String email = fresh("bad-malformed");
        String valid = json("email", email, "password", PASSWORD);
        for (String body : List.of(
                valid.substring(0, valid.length() - 1),                                  // cut short
                valid.substring(0, valid.length() - 1) + ",}",                           // trailing comma
                "{email: '" + email + "', password: '" + PASSWORD + "'}",                 // JavaScript, not JSON
                "{\"email\": \"" + email + "\" \"password\": \"" + PASSWORD + "\"}",      // missing comma
                "{\"email\": \"" + email + "\", \"password\": \"" + PASSWORD + "\"",      // unclosed
                "{\"email\": \"" + email + "\", \"password\": \"" + PASSWORD + "\u0001\"}")) {
            assertProblem(postJson(ACCOUNTS, body), 400, "request.malformed_json");
        }
        assertAddressIsStillFree(email);
    }

    @Test
    void registerWhenSomethingFollowsTheObjectThen400MalformedJsonAndNothingIsCreated() {
        String email = fresh("bad-trailing");
        String valid = json("email", email, "password", PASSWORD);

        assertProblem(postJson(ACCOUNTS, valid + " {\"email\": \"other@example.org\"}"), 400, "request.malformed_json");
        assertProblem(postJson(ACCOUNTS, valid + "garbage"), 400, "request.malformed_json");

        assertAddressIsStillFree(email);
    }

    @Test
    void registerWhenBodyIsEmptyThen400() {
        assertThat(assertClientProblem(postJson(ACCOUNTS, ""))).startsWith("request.");
        assertThat(assertClientProblem(postJson(ACCOUNTS, "   "))).startsWith("request.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[{\"email\": \"a@example.org\", \"password\": \"correct horse battery staple\"}]", "[]",
            "\"a@example.org\"", "42", "true", "null"})
    void registerWhenBodyIsNotAJsonObjectThen400NotAnObject(String body) {
        assertProblem(postJson(ACCOUNTS, body), 400, "request.not_an_object");
    }

    @Test
    void registerWhenAFieldAppearsTwiceThen400AndNothingIsCreated() {
        String email = fresh("bad-duplicate");
        String other = fresh("bad-duplicate-other");

        assertProblem(postJson(ACCOUNTS, "{\"email\": \"" + email + "\", \"email\": \"" + other + "\", \"password\": \"" + PASSWORD + "\"}"),
                400, "request.malformed_json");
        assertProblem(postJson(ACCOUNTS, "{\"email\": \"" + email + "\", \"password\": \"" + PASSWORD + "\", \"password\": \"x\"}"),
                400, "request.malformed_json");

        assertAddressIsStillFree(email);
        assertAddressIsStillFree(other);
    }

    @Test
    void registerWhenAFieldHasTheWrongTypeThen400WrongTypeAndNothingIsCreated() {
        String email = fresh("bad-type");
        for (String body : List.of(
                "{\"email\": 42, \"password\": \"" + PASSWORD + "\"}",
                "{\"email\": \"" + email + "\", \"password\": 123456789012345678}",
                "{\"email\": \"" + email + "\", \"password\": [\"" + PASSWORD + "\"]}",
                "{\"email\": \"" + email + "\", \"password\": {\"value\": \"" + PASSWORD + "\"}}",
                "{\"email\": \"" + email + "\", \"password\": true}",
                "{\"email\": \"" + email + "\", \"password\": \"" + PASSWORD + "\", \"name\": 7}",
                "{\"email\": \"" + email + "\", \"password\": \"" + PASSWORD + "\", \"name\": {\"first\": \"Al\"}}")) {
            assertProblem(postJson(ACCOUNTS, body), 400, "request.wrong_type");
        }
        assertAddressIsStillFree(email);
    }

    @Test
    void registerWhenARequiredFieldIsMissingOrNullThen400MissingField() {
        String email = fresh("bad-missing");
        assertProblem(postJson(ACCOUNTS, json("email", email)), 400, "request.missing_field");
        assertProblem(postJson(ACCOUNTS, json("password", PASSWORD)), 400, "request.missing_field");
        assertProblem(postJson(ACCOUNTS, "{}"), 400, "request.missing_field");
        assertProblem(postJson(ACCOUNTS, "{\"email\": \"" + email + "\", \"password\": null}"), 400, "request.missing_field");
        assertAddressIsStillFree(email);
    }

    @Test
    void registerWhenAnUnknownFieldIsSentThen400UnknownFieldAndNoPrivilegeIsGranted() {
        String email = fresh("bad-unknown");
        for (String field : List.of("emailVerified", "verified", "role", "roles", "disabled", "id", "passwordHash")) {
            TestHttp.Response response = postJson(ACCOUNTS, "{\"email\": \"" + email + "\", \"password\": \"" + PASSWORD + "\", \""
                    + field + "\": true}");
            assertThat(assertProblem(response, 400, "request.unknown_field").path("detail").asText()).contains(field);
        }
        assertAddressIsStillFree(email);
    }

    @Test
    void registerWhenContentTypeIsNotJsonThen415AndNothingIsCreated() {
        String email = fresh("bad-type-header");
        String body = json("email", email, "password", PASSWORD);
        TestHttp http = server.client();
        for (String type : List.of("text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "application/xml", "text/json")) {
            assertProblem(http.send(http.request(ACCOUNTS).header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofString(body))), 415, "request.unsupported_media_type");
        }
        assertProblem(http.send(http.request(ACCOUNTS).POST(HttpRequest.BodyPublishers.ofString(body))), 415,
                "request.unsupported_media_type");
        assertProblem(http.postForm(ACCOUNTS, Map.of("email", email, "password", PASSWORD)), 415, "request.unsupported_media_type");
        assertAddressIsStillFree(email);
    }

    @Test
    void registerWhenContentTypeIsJsonWithCharsetOrCapitalsThenAccepted() {
        TestHttp http = server.client();
        String body = json("email", fresh("ok-charset"), "password", PASSWORD);
        assertThat(http.send(http.request(ACCOUNTS).header("Content-Type", "application/json; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(body))).status()).isEqualTo(202);
        String other = json("email", fresh("ok-capitals"), "password", PASSWORD);
        assertThat(http.send(http.request(ACCOUNTS).header("Content-Type", "Application/JSON")
                .POST(HttpRequest.BodyPublishers.ofString(other))).status()).isEqualTo(202);
    }

    @Test
    void registerWhenBodyIsLargerThan64KiBThen413AndNothingIsCreated() {
        String email = fresh("bad-large");
        byte[] body = json("email", email, "password", PASSWORD, "name", "n".repeat(70 * 1024)).getBytes(StandardCharsets.UTF_8);

        assertProblem(RawHttp.post(server.baseUrl, ACCOUNTS, "application/json", body, false), 413, "request.too_large");

        assertAddressIsStillFree(email);
    }

    @Test
    void registerWhenTheRestOfAnOversizedBodyIsStillOnItsWayThenTheClientGetsThe413AndTheConnectionCloses() {
        String email = fresh("bad-slow-large");
        byte[] body = json("email", email, "password", PASSWORD, "name", "n".repeat(70 * 1024)).getBytes(StandardCharsets.UTF_8);

        var exchange = RawHttp.postWithPause(server.baseUrl, ACCOUNTS, "application/json", body, 4 * 1024, java.time.Duration.ofMillis(300));

        assertThat(exchange.answeredBeforeTheBodyEnded()).as("the answer waits for the whole body, so a client still sending gets it").isFalse();
        assertThat(exchange.writesSucceeded()).as("the server read the whole body, not a reset half-way").isTrue();
        assertProblem(exchange.response(), 413, "request.too_large");
        assertThat(exchange.response().headers().firstValue("Connection")).as("the connection is not reused").hasValue("close");
        assertThat(exchange.closedCleanly()).as("closed, without a reset that would lose the answer").isTrue();
        assertAddressIsStillFree(email);
    }

    @Test
    void registerWhenALargeBodyIsSentChunkedWithoutLengthThen413() {
        String email = fresh("bad-chunked");
        byte[] body = json("email", email, "password", PASSWORD, "name", "n".repeat(1024 * 1024)).getBytes(StandardCharsets.UTF_8);

        assertProblem(RawHttp.post(server.baseUrl, ACCOUNTS, "application/json", body, true), 413, "request.too_large");
        assertAddressIsStillFree(email);
    }

    @Test
    void registerWhenJsonIsNestedDeeplyOrHasAHugeNumberThen400() {
        String deep = "[".repeat(500) + "]".repeat(500);
        assertThat(assertClientProblem(postJson(ACCOUNTS, "{\"email\": " + deep + ", \"password\": \"x\"}"))).startsWith("request.");
        assertThat(assertClientProblem(postJson(ACCOUNTS, "{\"email\": " + "9".repeat(5000) + ", \"password\": \"x\"}"))).startsWith("request.");
    }

    @Test
    void registerWhenBodyIsNotUtf8Then400() {
        String email = fresh("bad-utf8");
        byte[] prefix = ("{\"email\": \"" + email + "\", \"password\": \"correct horse ").getBytes(StandardCharsets.UTF_8);
        byte[] suffix = " staple\"}".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[prefix.length + 2 + suffix.length];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        body[prefix.length] = (byte) 0xC3;       // a lead byte followed by a non-continuation byte
        body[prefix.length + 1] = (byte) 0x28;
        System.arraycopy(suffix, 0, body, prefix.length + 2, suffix.length);
        TestHttp http = server.client();

        TestHttp.Response response = http.send(http.request(ACCOUNTS).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));

        assertProblem(response, 400, "request.malformed_json");
        assertAddressIsStillFree(email);
    }

    @Test
    void registerWhenStringsHoldControlCharactersOrLoneSurrogatesThenNever5xx() {
        for (String body : List.of(
                json("email", "nul\u0000byte@example.org", "password", PASSWORD),
                json("email", fresh("bad-surrogate"), "password", PASSWORD, "name", "half \uD800 a pair"),
                json("email", fresh("bad-bidi"), "password", PASSWORD, "name", "evil\u202Eexe.txt"),
                json("email", fresh("bad-nul-password"), "password", "nul \u0000 inside the password"))) {
            TestHttp.Response response = postJson(ACCOUNTS, body);
            assertThat(response.status()).as(response.toString()).isIn(202, 400);
            if (response.status() == 400) assertClientProblem(response);
        }
        assertProblem(postJson(ACCOUNTS, json("email", "nul\u0000byte@example.org", "password", PASSWORD)), 400, "account.invalid_email");
    }

    @Test
    void everyPublicPostWhenBodyIsMalformedOrAnArrayOrTextThen4xxProblemWithCode() {
        TestHttp http = server.client();
        for (String path : PUBLIC_POSTS) {
            assertProblem(postJson(path, "{\"token\": "), 400, "request.malformed_json");
            assertProblem(postJson(path, "[]"), 400, "request.not_an_object");
            assertProblem(postJson(path, "{\"unexpected\": \"field\"}"), 400, "request.unknown_field");
            assertProblem(http.send(http.request(path).header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))), 415, "request.unsupported_media_type");
        }
    }

    @Test
    void changePasswordWhenBodyIsBadThen4xxAndThePasswordIsUnchanged() {
        String email = registerVerified("bad-change");
        TestHttp http = loggedIn(email);

        assertProblem(http.postJson(MY_PASSWORD, "{\"currentPassword\": "), 400, "request.malformed_json");
        assertProblem(http.postJson(MY_PASSWORD, json("currentPassword", PASSWORD, "newPassword", NEW_PASSWORD, "confirm", NEW_PASSWORD)),
                400, "request.unknown_field");
        assertProblem(http.postJson(MY_PASSWORD, "{\"currentPassword\": \"" + PASSWORD + "\", \"newPassword\": 5}"), 400, "request.wrong_type");
        assertProblem(http.send(http.request(MY_PASSWORD).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(json("currentPassword", PASSWORD, "newPassword", NEW_PASSWORD)))),
                415, "request.unsupported_media_type");

        assertThat(login(email, PASSWORD).status()).isEqualTo(200);
        assertThat(http.get(ME).status()).isEqualTo(200);
    }

    @Test
    void loginWhenBodyIsBadThen4xxAndTheAccountStillLogsIn() {
        String email = registerVerified("bad-login");

        assertProblem(postJson(SESSION, json("email", email, "password", PASSWORD, "remember", "yes")), 400, "request.unknown_field");
        assertProblem(postJson(SESSION, "{\"email\": \"" + email + "\", \"password\": [\"" + PASSWORD + "\"]}"), 400, "request.wrong_type");
        assertProblem(postJson(SESSION, json("email", email)), 400, "request.missing_field");

        assertThat(login(email, PASSWORD).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/nope", "/api/v2/me", "/api/v1/me/sessions/a/b", "/api/", "/api/v1/accounts/verify/resend/again"})
    void getWhenRouteIsUnknownUnderApiThen404Problem(String path) {
        assertProblem(server.client().get(path), 404, "request.not_found");
    }

    @Test
    void postWhenRouteIsUnknownUnderApiThen404Problem() {
        assertProblem(postJson("/api/v1/nope", "{}"), 404, "request.not_found");
        TestHttp http = loggedIn(registerVerified("bad-unknown-route"));
        assertProblem(http.postJson("/api/v1/admin/users", "{}"), 404, "request.not_found");
    }

    @Test
    void requestWhenMethodIsNotAllowedThen405Problem() {
        TestHttp http = server.client();
        assertProblem(http.send(http.request(SESSION).PUT(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json")),
                405, "request.method_not_allowed");
        assertProblem(http.get(SESSION), 405, "request.method_not_allowed");
        assertProblem(http.get(ACCOUNTS), 405, "request.method_not_allowed");
        assertProblem(http.deleteJson(ACCOUNTS), 405, "request.method_not_allowed");
        assertProblem(http.send(http.request(ME).method("PATCH", HttpRequest.BodyPublishers.ofString("{}"))
                .header("Content-Type", "application/json")), 405, "request.method_not_allowed");
        assertProblem(http.get(RESET_CONFIRM), 405, "request.method_not_allowed");
    }

    @Test
    void logoutWhenThereIsNoSessionThen401() {
        assertProblem(server.client().deleteJson(SESSION), 401, "auth.unauthenticated");
        assertProblem(server.client().deleteJson(MY_SESSIONS), 401, "auth.unauthenticated");
        assertProblem(server.client().deleteJson(MY_SESSIONS + "/" + UUID.randomUUID()), 401, "auth.unauthenticated");
    }

    private TestHttp.Response postJson(String path, String body) {
        return server.client().postJson(path, body);
    }
}
