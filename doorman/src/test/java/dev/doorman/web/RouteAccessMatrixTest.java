package dev.doorman.web;

import dev.doorman.TestServer;
import dev.doorman.account.RoleStore;
import dev.doorman.testkit.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * AZ-01: deny by default, proved over the whole route table. Every route Javalin serves must be declared here with
 * who may use it; a new route that is not fails this test until someone decides. Then every route is called as
 * anonymous, as a signed-in user without roles and as an admin, and nothing answers 2xx to a caller it is not for
 * (a page may instead send an anonymous browser to log in).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RouteAccessMatrixTest {
    /** Who a route is for. */
    enum Access {
        /** anyone: pages and APIs that work without an account (login, registration, discovery, health...) */
        PUBLIC,
        /** a client or bearer token authenticates itself on the request; a browser session alone gets nothing */
        CLIENT,
        /** a signed-in user (their own account, sessions, factors) */
        USER,
        /** a signed-in user with the admin role */
        ADMIN
    }

    private static final Map<String, Access> DECLARED = declared();

    private static Map<String, Access> declared() {
        var m = new TreeMap<String, Access>();
        for (String r : List.of("GET /", "GET /health/live", "GET /health/ready", "GET /assets/doorman.css", "GET /assets/passkeys.js",
                "GET /assets/pow.js", "GET /register", "POST /register", "GET /verify-email", "POST /verify-email", "GET /login",
                "POST /login", "POST /logout", "GET /forgot-password", "POST /forgot-password", "GET /reset-password",
                "POST /reset-password", "GET /login/unlock", "POST /login/unlock", "GET /login/mfa", "POST /login/mfa",
                "POST /api/v1/accounts", "POST /api/v1/accounts/verify", "POST /api/v1/accounts/verify/resend", "POST /api/v1/session",
                "POST /api/v1/session/mfa", "POST /api/v1/password-reset", "POST /api/v1/password-reset/confirm",
                "POST /api/v1/passkeys/options", "POST /api/v1/passkeys/authenticate", "GET /metrics",
                "GET /.well-known/jwks.json", "GET /.well-known/openid-configuration", "GET /.well-known/oauth-authorization-server",
                "GET /oauth2/authorize", "POST /oauth2/authorize", "GET /oauth2/consent", "POST /oauth2/consent", "GET /oauth2/logout",
                "POST /oauth2/logout", "GET /oauth2/revoked", "GET /dev/outbox")) m.put(r, Access.PUBLIC);
        for (String r : List.of("POST /oauth2/token", "POST /oauth2/revoke", "POST /oauth2/introspect", "POST /oauth2/par",
                "GET /oauth2/userinfo", "POST /oauth2/userinfo", "POST /access/v1/evaluation", "POST /access/v1/evaluations")) m.put(r, Access.CLIENT);
        for (String r : List.of("GET /account", "POST /account/password", "POST /account/sessions/revoke-others",
                "POST /account/sessions/{id}/revoke", "POST /account/consents/revoke", "GET /mfa/step-up", "POST /mfa/step-up",
                "GET /account/mfa", "POST /account/mfa/totp", "POST /account/mfa/totp/confirm", "POST /account/mfa/totp/remove",
                "POST /account/mfa/recovery-codes", "POST /account/mfa/passkeys/{id}/rename", "POST /account/mfa/passkeys/{id}/remove",
                "GET /api/v1/me", "GET /api/v1/me/sessions", "DELETE /api/v1/me/sessions", "DELETE /api/v1/me/sessions/{id}",
                "POST /api/v1/me/password", "POST /api/v1/session/step-up", "DELETE /api/v1/session", "GET /api/v1/me/mfa",
                "POST /api/v1/me/mfa/totp", "DELETE /api/v1/me/mfa/totp", "POST /api/v1/me/mfa/totp/confirm",
                "POST /api/v1/me/mfa/recovery-codes", "POST /api/v1/passkeys/register", "GET /api/v1/me/passkeys",
                "PATCH /api/v1/me/passkeys/{id}", "DELETE /api/v1/me/passkeys/{id}")) m.put(r, Access.USER);
        for (String r : List.of("GET /api/v1/admin/audit", "GET /api/v1/admin/audit/verify", "GET /admin/security",
                "GET /api/v1/admin/role-bindings", "POST /api/v1/admin/role-bindings", "DELETE /api/v1/admin/role-bindings")) m.put(r, Access.ADMIN);
        return m;
    }

    private TestServer server;
    private TestHttp user;
    private TestHttp admin;

    @BeforeAll
    void start() {
        server = TestServer.startWithDevOutbox(TestServer.Store.SQLITE);
        server.doorman.roles().save(new RoleStore.Role("admin", Optional.empty()));
        server.createVerifiedUser("user@example.org", "User");
        var adminUser = server.createVerifiedUser("admin@example.org", "Admin");
        server.doorman.roles().setRoles(adminUser.id(), Set.of("admin"));
        user = server.apiLogin("user@example.org", TestServer.PASSWORD);
        admin = server.apiLogin("admin@example.org", TestServer.PASSWORD);
    }

    @AfterAll
    void stop() {
        if (server != null) server.close();
    }

    @Test
    void routeTableWhenListedThenEveryRouteIsDeclaredWithWhoMayUseIt() {
        List<String> routes = server.routes();
        assertThat(routes).as("the route table").hasSizeGreaterThan(60);
        assertThat(routes).as("routes nobody has decided on (add each to DECLARED)").allMatch(DECLARED::containsKey);
    }

    @Test
    void everyRouteWhenCalledByAnyoneItIsNotForThenNo2xx() {
        var wrong = new ArrayList<String>();
        for (String route : server.routes()) {
            Access access = DECLARED.get(route);
            if (access == null || access == Access.PUBLIC) continue;
            var anonymous = call(server.client(), route);
            if (granted(anonymous)) wrong.add("anonymous: " + route + " → " + anonymous.status());
            if (access == Access.CLIENT || access == Access.ADMIN) {
                // A user's session cookie and CSRF token are no client credentials and no admin role.
                var asUser = call(user, route);
                if (granted(asUser)) wrong.add("user: " + route + " → " + asUser.status());
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void adminRoutesWhenCalledByAnAdminThenServed() {
        for (String route : List.of("GET /api/v1/admin/audit", "GET /api/v1/admin/audit/verify", "GET /admin/security",
                "GET /api/v1/admin/role-bindings")) {
            assertThat(call(admin, route).status()).as(route).isEqualTo(200);
            assertThat(call(user, route).status()).as(route + " for a user without the role").isEqualTo(403);
        }
        assertThat(call(user, "GET /api/v1/me").status()).as("a positive control for the user").isEqualTo(200);
    }

    /** 2xx, or a redirect anywhere but the login page: access was given. */
    private static boolean granted(TestHttp.Response response) {
        if (response.status() >= 200 && response.status() < 300) return true;
        return response.status() >= 300 && response.status() < 400
                && !response.location().orElse("").startsWith("/login");
    }

    private static TestHttp.Response call(TestHttp http, String route) {
        String method = route.substring(0, route.indexOf(' '));
        String path = route.substring(route.indexOf(' ') + 1).replace("{id}", UUID.randomUUID().toString());
        return switch (method) {
            case "GET" -> http.get(path);
            case "DELETE" -> http.deleteJson(path);
            case "POST" -> path.startsWith("/api/") || path.startsWith("/access/") ? http.postJson(path, "{}")
                    : http.postForm(path, Map.of("csrf", "", "id", UUID.randomUUID().toString()));
            default -> http.send(http.request(path).method(method, java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
                    .header("Content-Type", "application/json"));
        };
    }
}
