package dev.doorman.api;

import dev.doorman.testkit.TestHttp;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.doorman.api.ApiAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** POST /api/v1/me/password: needs the current password (PW-07), ends every other session (SE-07), tells the owner. */
abstract class PasswordChangeApiContract extends ApiContract {
    private static final String CHANGED = "Your password was changed";

    @Test
    void changeWhenCurrentPasswordIsWrongThen400AndNothingChanges() {
        String email = registerVerified("change-wrong");
        TestHttp caller = loggedIn(email);
        String otherCookie = sessionCookie(loggedIn(email));

        assertProblem(change(caller, NEW_PASSWORD, "another kettle of pale fish"), 400, "account.wrong_current_password");

        assertThat(login(email, PASSWORD).status()).as("old password").isEqualTo(200);
        assertProblem(login(email, "another kettle of pale fish"), 401, "login.invalid_credentials");
        assertThat(alive(otherCookie)).isTrue();
        assertThat(caller.get(ME).status()).isEqualTo(200);
        graceForStrayMail();
        assertThat(mailsTo(email)).extracting(m -> m.subject()).doesNotContain(CHANGED);
    }

    @Test
    void changeWhenCurrentPasswordIsMissingThen400AndNothingChanges() {
        String email = registerVerified("change-missing");
        TestHttp caller = loggedIn(email);

        assertProblem(caller.postJson(MY_PASSWORD, json("newPassword", NEW_PASSWORD)), 400, "request.missing_field");
        assertProblem(caller.postJson(MY_PASSWORD, json("currentPassword", "", "newPassword", NEW_PASSWORD)), 400,
                "account.wrong_current_password");

        assertThat(login(email, PASSWORD).status()).isEqualTo(200);
        assertProblem(login(email, NEW_PASSWORD), 401, "login.invalid_credentials");
    }

    @Test
    void changeWhenNewPasswordBreaksThePolicyThen400AndNothingChanges() {
        String email = registerVerified("change-weak");
        TestHttp caller = loggedIn(email);
        String otherCookie = sessionCookie(loggedIn(email));

        assertProblem(change(caller, PASSWORD, "passwordpassword"), 400, "password.common");

        assertThat(login(email, PASSWORD).status()).isEqualTo(200);
        assertThat(alive(otherCookie)).isTrue();
    }

    @Test
    void changeWhenCurrentPasswordIsRightThen204OtherSessionsDieTheCallerStaysAndTheOwnerIsTold() {
        String email = registerVerified("change-ok");
        TestHttp caller = loggedIn(email);
        String callerCookie = sessionCookie(caller);
        String otherCookie = sessionCookie(loggedIn(email));
        String thirdCookie = sessionCookie(loggedIn(email));

        TestHttp.Response changed = change(caller, PASSWORD, NEW_PASSWORD);

        assertThat(changed.status()).as(changed.toString()).isEqualTo(204);
        assertThat(changed.body()).isEmpty();
        assertThat(alive(otherCookie)).isFalse();
        assertThat(alive(thirdCookie)).isFalse();
        assertThat(alive(callerCookie)).isTrue();
        assertThat(caller.get(MY_SESSIONS).json()).hasSize(1);
        assertProblem(login(email, PASSWORD), 401, "login.invalid_credentials");
        assertThat(login(email, NEW_PASSWORD).status()).isEqualTo(200);
        assertThat(awaitMail(email, CHANGED).text()).doesNotContain(NEW_PASSWORD);
    }

    @Test
    void changeWhenAnAttackerKeepsLoggingInWithTheOldPasswordMeanwhileThenNoneOfTheirSessionsSurvives() throws Exception {
        String email = registerVerified("change-race-login");
        TestHttp owner = loggedIn(email);

        List<String> stolen = attackWithOldPasswordWhile(email, () -> assertThat(change(owner, PASSWORD, NEW_PASSWORD).status()).isEqualTo(204));

        assertThat(stolen).as("sessions the attacker obtained with the old password").isNotEmpty();
        assertThat(stolen).as("attacker sessions still alive after the change").noneMatch(this::alive);
        assertThat(owner.get(ME).status()).isEqualTo(200);
    }

    @Test
    void changeWhenDoneThenAPendingResetLinkIsDead() {
        String email = registerVerified("change-resetlink");
        assertThat(server.client().postJson(RESET, json("email", email)).status()).isEqualTo(202);
        String pending = awaitNewToken(email, RESET_LINK);
        TestHttp caller = loggedIn(email);

        assertThat(change(caller, PASSWORD, NEW_PASSWORD).status()).isEqualTo(204);

        assertProblem(server.client().postJson(RESET_CONFIRM, json("token", pending, "password", "third lovely autumn garden")),
                400, "recovery.invalid_token");
        assertThat(login(email, NEW_PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void changeWhenNotLoggedInThen401() {
        assertProblem(server.client().postJson(MY_PASSWORD, json("currentPassword", PASSWORD, "newPassword", NEW_PASSWORD)),
                401, "auth.unauthenticated");
    }

    private static TestHttp.Response change(TestHttp http, String current, String next) {
        return http.postJson(MY_PASSWORD, json("currentPassword", current, "newPassword", next));
    }
}
