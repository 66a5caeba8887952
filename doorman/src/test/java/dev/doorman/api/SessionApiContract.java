package dev.doorman.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.doorman.testkit.TestHttp;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.doorman.api.ApiAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** The session lifecycle over the API: listing and revoking (SE-08), logout (SE-06), timeouts (SE-04, SE-05), CSRF on one call. */
abstract class SessionApiContract extends ApiContract {

    @Test
    void listSessionsWhenUserIsLoggedInFromTwoClientsThenBothAreListedAndOnlyTheCallersIsCurrent() {
        String email = registerVerified("sessions-list");
        TestHttp laptop = loggedInWithAgent(email, "Laptop/1.0");
        TestHttp phone = loggedInWithAgent(email, "Phone/2.0");

        JsonNode fromLaptop = laptop.get(MY_SESSIONS).json();
        JsonNode fromPhone = phone.get(MY_SESSIONS).json();

        assertThat(fromLaptop.isArray()).isTrue();
        assertThat(fromLaptop).hasSize(2);
        assertThat(ids(fromLaptop)).containsExactlyInAnyOrderElementsOf(ids(fromPhone));
        JsonNode laptopCurrent = onlyCurrent(fromLaptop);
        JsonNode phoneCurrent = onlyCurrent(fromPhone);
        assertThat(laptopCurrent.path("id").asText()).isNotEqualTo(phoneCurrent.path("id").asText());
        assertThat(laptopCurrent.path("userAgent").asText()).isEqualTo("Laptop/1.0");
        assertThat(phoneCurrent.path("userAgent").asText()).isEqualTo("Phone/2.0");
        for (JsonNode session : fromLaptop) {
            assertThat(session.path("ip").asText()).isEqualTo("127.0.0.1");
            Instant.parse(session.path("createdAt").asText());
            Instant.parse(session.path("lastSeenAt").asText());
            Instant.parse(session.path("expiresAt").asText());
        }
        // The list names sessions by their public id, never by the cookie secret.
        assertThat(laptop.get(MY_SESSIONS).body()).doesNotContain(sessionCookie(laptop), sessionCookie(phone));
    }

    @Test
    void listSessionsWhenAnotherSessionHasTimedOutThenOnlyLiveSessionsAreListed() {
        String email = registerVerified("sessions-stale");
        TestHttp active = loggedIn(email);
        TestHttp forgotten = loggedIn(email);
        String forgottenCookie = sessionCookie(forgotten);

        server.clock.advance(Duration.ofMinutes(29));
        assertThat(active.get(ME).status()).isEqualTo(200);
        server.clock.advance(Duration.ofMinutes(2));   // the forgotten session has been idle for 31 minutes

        JsonNode listed = active.get(MY_SESSIONS).json();

        assertThat(listed).as("sessions listed after the other one timed out: %s", listed).hasSize(1);
        assertThat(onlyCurrent(listed).path("current").asBoolean()).isTrue();
        assertThat(alive(forgottenCookie)).isFalse();
    }

    @Test
    void listSessionsWhenNotLoggedInThen401() {
        assertProblem(server.client().get(MY_SESSIONS), 401, "auth.unauthenticated");
    }

    @Test
    void revokeSessionWhenIdIsAnotherOfMySessionsThen204AndThatCookieIsDeadWhileTheCallerStays() {
        String email = registerVerified("sessions-revoke");
        TestHttp keeper = loggedIn(email);
        TestHttp victim = loggedIn(email);
        String victimId = onlyCurrent(victim.get(MY_SESSIONS).json()).path("id").asText();

        assertThat(keeper.deleteJson(MY_SESSIONS + "/" + victimId).status()).isEqualTo(204);

        assertProblem(victim.get(ME), 401, "auth.unauthenticated");
        assertThat(keeper.get(ME).status()).isEqualTo(200);
        assertThat(ids(keeper.get(MY_SESSIONS).json())).doesNotContain(victimId).hasSize(1);
        assertProblem(keeper.deleteJson(MY_SESSIONS + "/" + victimId), 404, "session.not_found");
    }

    @Test
    void revokeSessionWhenIdIsTheCallersOwnThen204AndTheCallerIsLoggedOut() {
        String email = registerVerified("sessions-self");
        TestHttp http = loggedIn(email);
        String cookie = sessionCookie(http);
        String ownId = onlyCurrent(http.get(MY_SESSIONS).json()).path("id").asText();

        assertThat(http.deleteJson(MY_SESSIONS + "/" + ownId).status()).isEqualTo(204);

        assertThat(alive(cookie)).isFalse();
    }

    @Test
    void revokeSessionWhenIdBelongsToAnotherUserThen404AndThatSessionStaysAlive() {
        TestHttp attacker = loggedIn(registerVerified("sessions-attacker"));
        TestHttp owner = loggedIn(registerVerified("sessions-owner"));
        String ownersId = onlyCurrent(owner.get(MY_SESSIONS).json()).path("id").asText();

        TestHttp.Response response = attacker.deleteJson(MY_SESSIONS + "/" + ownersId);
        TestHttp.Response unknown = attacker.deleteJson(MY_SESSIONS + "/" + UUID.randomUUID());

        assertProblem(response, 404, "session.not_found");
        assertThat(response.body()).isEqualTo(unknown.body());
        assertThat(owner.get(ME).status()).isEqualTo(200);
        assertThat(ids(owner.get(MY_SESSIONS).json())).containsExactly(ownersId);
        assertThat(attacker.get(ME).status()).isEqualTo(200);
    }

    @Test
    void revokeSessionWhenIdIsMalformedThen404() {
        TestHttp http = loggedIn(registerVerified("sessions-malformed"));
        assertProblem(http.deleteJson(MY_SESSIONS + "/not-a-uuid"), 404, "session.not_found");
        assertProblem(http.deleteJson(MY_SESSIONS + "/%27%20or%201=1%20--"), 404, "session.not_found");
        assertThat(http.get(ME).status()).isEqualTo(200);
    }

    @Test
    void revokeOtherSessionsWhenCalledThenEveryOtherSessionIsDeadAndTheCallerLives() {
        String email = registerVerified("sessions-others");
        String bystander = registerVerified("sessions-bystander");
        TestHttp caller = loggedIn(email);
        List<String> others = new ArrayList<>();
        for (int i = 0; i < 3; i++) others.add(sessionCookie(loggedIn(email)));
        String bystanderCookie = sessionCookie(loggedIn(bystander));

        assertThat(caller.deleteJson(MY_SESSIONS).status()).isEqualTo(204);

        assertThat(others).noneMatch(this::alive);
        assertThat(caller.get(ME).status()).isEqualTo(200);
        assertThat(caller.get(MY_SESSIONS).json()).hasSize(1);
        assertThat(alive(bystanderCookie)).as("another user's session").isTrue();
    }

    @Test
    void logoutWhenTheCookieIsReplayedAfterwardsThen401() {
        String email = registerVerified("sessions-logout");
        TestHttp http = loggedIn(email);
        String cookie = sessionCookie(http);

        TestHttp.Response logout = http.deleteJson(SESSION);

        assertThat(logout.status()).isEqualTo(204);
        assertThat(logout.setCookies()).anyMatch(c -> c.startsWith(server.sessionCookieName() + "=;") && c.contains("Max-Age=0"));
        assertThat(http.cookies()).doesNotContainKey(server.sessionCookieName());
        assertProblem(withSessionCookie(cookie).get(ME), 401, "auth.unauthenticated");
        assertProblem(withSessionCookie(cookie).get(MY_SESSIONS), 401, "auth.unauthenticated");
        TestHttp replay = withSessionCookie(cookie);
        replay.setHeader("X-CSRF-Token", "anything");
        assertProblem(replay.deleteJson(SESSION), 401, "auth.unauthenticated");
    }

    @Test
    void unsafeRequestWhenItHasASessionButNoOrAForeignCsrfTokenThen403AndNothingChanges() {
        String email = registerVerified("sessions-csrf");
        TestHttp caller = loggedIn(email);
        TestHttp other = server.client();
        String otherSessionsToken = login(other, email, PASSWORD).json().path("csrfToken").asText();
        caller.clearHeader("X-CSRF-Token");

        assertProblem(caller.deleteJson(MY_SESSIONS), 403, "csrf.invalid_token");
        caller.setHeader("X-CSRF-Token", otherSessionsToken);
        assertProblem(caller.deleteJson(MY_SESSIONS), 403, "csrf.invalid_token");

        assertThat(other.get(ME).status()).as("the other session survived").isEqualTo(200);
        assertThat(caller.get(MY_SESSIONS).json()).hasSize(2);
    }

    @Test
    void sessionWhenIdleForLessThan30MinutesBetweenRequestsThenAliveAndAfter31IdleMinutesThen401() {
        String email = registerVerified("sessions-idle");
        TestHttp active = loggedIn(email);
        TestHttp idle = loggedIn(email);

        server.clock.advance(Duration.ofMinutes(29));
        assertThat(active.get(ME).status()).isEqualTo(200);
        server.clock.advance(Duration.ofMinutes(29));   // 58 minutes after login, 29 after the last request

        assertThat(active.get(ME).status()).as("active session, 29 min idle").isEqualTo(200);
        assertProblem(idle.get(ME), 401, "auth.unauthenticated");

        server.clock.advance(Duration.ofMinutes(31));
        assertProblem(active.get(ME), 401, "auth.unauthenticated");
    }

    @Test
    void sessionWhenUsedEvery20MinutesThenAliveUntil12HoursAndThen401() {
        String email = registerVerified("sessions-absolute");
        Instant loggedInAt = server.clock.instant();
        TestHttp http = loggedIn(email);

        while (server.clock.instant().plus(Duration.ofMinutes(20)).isBefore(loggedInAt.plus(Duration.ofHours(12)))) {
            server.clock.advance(Duration.ofMinutes(20));
            assertThat(http.get(ME).status()).as("at %s", Duration.between(loggedInAt, server.clock.instant())).isEqualTo(200);
        }
        assertThat(Duration.between(loggedInAt, server.clock.instant())).isEqualTo(Duration.ofMinutes(700));
        server.clock.advance(Duration.ofMinutes(20));   // exactly 12 h after login

        assertProblem(http.get(ME), 401, "auth.unauthenticated");
        assertThat(loggedIn(email).get(ME).status()).as("a new login works").isEqualTo(200);
    }

    private TestHttp loggedInWithAgent(String email, String userAgent) {
        TestHttp http = server.client();
        http.setHeader("User-Agent", userAgent);
        TestHttp.Response response = login(http, email, PASSWORD);
        assertThat(response.status()).isEqualTo(200);
        http.setHeader("X-CSRF-Token", response.json().path("csrfToken").asText());
        return http;
    }

    private static List<String> ids(JsonNode sessions) {
        List<String> ids = new ArrayList<>();
        sessions.forEach(s -> ids.add(s.path("id").asText()));
        return ids;
    }

    private static JsonNode onlyCurrent(JsonNode sessions) {
        List<JsonNode> current = new ArrayList<>();
        sessions.forEach(s -> {
            assertThat(s.path("current").isBoolean()).as("current flag of %s", s).isTrue();
            if (s.path("current").asBoolean()) current.add(s);
        });
        assertThat(current).as("sessions marked current in %s", sessions).hasSize(1);
        return current.getFirst();
    }
}
