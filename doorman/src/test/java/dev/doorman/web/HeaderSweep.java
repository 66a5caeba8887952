package dev.doorman.web;

import dev.doorman.TestServer;
import dev.doorman.browser.Browser;
import dev.doorman.testkit.TestHttp;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.doorman.browser.Browser.fields;

/**
 * Sends GET and POST (and DELETE where the API has it) to every route of {@link RouteTable}, plus an unknown path,
 * a 405, a 413 and malformed input, once anonymously and once with a session, and keeps every response.
 * Keep {@link #ROUTES} in step with RouteTable.
 */
final class HeaderSweep {
    record Exchange(String request, String path, TestHttp.Response response) {
        @Override
        public String toString() {
            return request + " → " + response.status();
        }
    }

    /** Every path in RouteTable, with a made-up id where the path has one. */
    static final List<String> ROUTES = List.of(
            "/health/live", "/health/ready", "/assets/doorman.css", "/",
            "/register", "/verify-email", "/login", "/logout", "/forgot-password", "/reset-password",
            "/account", "/account/password", "/account/sessions/revoke-others", "/account/sessions/" + UUID.randomUUID() + "/revoke",
            "/dev/outbox",
            "/api/v1/accounts", "/api/v1/accounts/verify", "/api/v1/accounts/verify/resend", "/api/v1/session",
            "/api/v1/me", "/api/v1/me/sessions", "/api/v1/me/sessions/" + UUID.randomUUID(), "/api/v1/me/password",
            "/api/v1/password-reset", "/api/v1/password-reset/confirm",
            "/.well-known/jwks.json",
            "/access/v1/evaluation", "/access/v1/evaluations", "/api/v1/admin/role-bindings",

            "/assets/passkeys.js", "/login/mfa", "/mfa/step-up", "/account/mfa", "/account/mfa/totp", "/account/mfa/totp/confirm",
            "/account/mfa/totp/remove", "/account/mfa/recovery-codes", "/account/mfa/passkeys/" + UUID.randomUUID() + "/rename",
            "/account/mfa/passkeys/" + UUID.randomUUID() + "/remove", "/api/v1/session/mfa", "/api/v1/session/step-up", "/api/v1/me/mfa",
            "/api/v1/me/mfa/totp", "/api/v1/me/mfa/totp/confirm", "/api/v1/me/mfa/recovery-codes", "/api/v1/passkeys/options",
            "/api/v1/passkeys/register", "/api/v1/passkeys/authenticate", "/api/v1/me/passkeys", "/api/v1/me/passkeys/" + UUID.randomUUID());

    private HeaderSweep() {
    }

    static List<Exchange> run(TestServer server, String email, String password) {
        var out = new ArrayList<Exchange>();
        var anonymous = new Browser(server);
        sweep(anonymous, out, "anonymous");

        var user = new Browser(server).loggedIn(email, password);
        sweep(user, out, "logged in");
        String csrf = user.get("/account").csrfField();
        record("logged in", out, "POST /account/password (wrong current)", "/account/password",
                user.post("/account/password", csrf, fields("currentPassword", "wrong wrong wrong wrong", "newPassword", "x")));
        record("logged in", out, "POST /account/sessions/{unknown}/revoke", "/account/sessions/x/revoke",
                user.post("/account/sessions/" + UUID.randomUUID() + "/revoke", csrf, fields()));
        record("logged in", out, "POST /account/sessions/revoke-others", "/account/sessions/revoke-others",
                user.post("/account/sessions/revoke-others", csrf, fields()));
        user.http.setHeader("X-CSRF-Token", csrf);
        record("logged in", out, "POST /api/v1/me/password (wrong current)", "/api/v1/me/password",
                user.http.postJson("/api/v1/me/password", "{\"currentPassword\":\"wrong wrong wrong wrong\",\"newPassword\":\"y\"}"));
        record("logged in", out, "DELETE /api/v1/me/sessions/{unknown}", "/api/v1/me/sessions/x",
                user.http.deleteJson("/api/v1/me/sessions/" + UUID.randomUUID()));
        record("logged in", out, "DELETE /api/v1/me/sessions", "/api/v1/me/sessions", user.http.deleteJson("/api/v1/me/sessions"));
        user.http.clearHeader("X-CSRF-Token");
        record("logged in", out, "POST /logout", "/logout", user.post("/logout", user.get("/account").csrfField(), fields()));
        return out;
    }

    private static void sweep(Browser browser, List<Exchange> out, String who) {
        TestHttp http = browser.http;
        boolean loggedIn = browser.sessionCookie().isPresent();
        String csrf = browser.get(loggedIn ? "/account" : "/login").csrfField();
        for (String path : ROUTES) {
            record(who, out, "GET " + path, path, http.get(path));
            record(who, out, "POST form " + path, path, http.postForm(path, fields("email", "someone@example.org", "password", "x")));
            // Logging out is the last step of the logged-in sweep, not part of it.
            if (!(loggedIn && path.equals("/logout")))
                record(who, out, "POST form+csrf " + path, path, browser.post(path, csrf, fields("email", "someone@example.org", "token", "x")));
            record(who, out, "POST json " + path, path, http.postJson(path, "{\"email\":\"someone@example.org\"}"));
            if (path.startsWith("/api/")) record(who, out, "DELETE " + path, path, http.deleteJson(path));
        }
        record(who, out, "GET /verify-email?token=…", "/verify-email", http.get("/verify-email?token=" + "a".repeat(43)));
        record(who, out, "GET /reset-password?token=…", "/reset-password", http.get("/reset-password?token=" + "a".repeat(43)));
        record(who, out, "GET unknown path", "/no/such/page", http.get("/no/such/page"));
        record(who, out, "GET unknown api path", "/api/v1/nothing", http.get("/api/v1/nothing"));
        record(who, out, "GET unknown asset", "/assets/nothing.css", http.get("/assets/nothing.css"));
        record(who, out, "GET script in path", "/<script>", http.get("/%3Cscript%3Ealert(1)%3C%2Fscript%3E"));
        record(who, out, "PUT /login (405)", "/login", http.send(http.request("/login").PUT(HttpRequest.BodyPublishers.ofString("x"))));
        record(who, out, "PATCH /api/v1/me (405)", "/api/v1/me",
                http.send(http.request("/api/v1/me").method("PATCH", HttpRequest.BodyPublishers.ofString("{}"))
                        .header("Content-Type", "application/json")));
        record(who, out, "POST oversized form (413)", "/login", http.postForm("/login", Map.of("email", "a".repeat(70 * 1024))));
        record(who, out, "POST oversized field", "/register", browser.post("/register", browser.get("/register").csrfField(),
                fields("email", "a".repeat(5000) + "@example.org", "password", "x")));
        record(who, out, "POST oversized json (413)", "/api/v1/accounts",
                http.postJson("/api/v1/accounts", "{\"email\":\"" + "a".repeat(70 * 1024) + "\"}"));
        record(who, out, "POST malformed json", "/api/v1/accounts", http.postJson("/api/v1/accounts", "{\"email\": \"x\", "));
        record(who, out, "POST json wrong types", "/api/v1/accounts", http.postJson("/api/v1/accounts", "{\"email\": 5, \"password\": [1]}"));
        record(who, out, "POST json array", "/api/v1/password-reset", http.postJson("/api/v1/password-reset", "[1,2,3]"));
        record(who, out, "POST json duplicate", "/api/v1/password-reset",
                http.postJson("/api/v1/password-reset", "{\"email\":\"a@example.org\",\"email\":\"b@example.org\"}"));
        record(who, out, "POST text/plain to API", "/api/v1/session", http.send(http.request("/api/v1/session")
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{}"))));
        record(who, out, "POST json to a form page", "/login", http.postJson("/login", "{\"email\":\"a@example.org\"}"));
        record(who, out, "GET with Accept json", "/nothing", http.send(http.request("/nothing").header("Accept", "application/json")));
    }

    private static void record(String who, List<Exchange> out, String request, String path, TestHttp.Response response) {
        out.add(new Exchange(who + ": " + request, path, response));
    }
}
