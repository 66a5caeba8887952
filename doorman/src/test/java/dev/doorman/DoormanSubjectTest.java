package dev.doorman;

import dev.doorman.account.RoleStore;
import dev.doorman.account.UserId;
import dev.doorman.authz.Subject;
import dev.doorman.testkit.TestHttp;
import io.javalin.Javalin;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** An embedding app's handler asks Doorman for the session's {@link Subject}, the shape the policy engine takes. */
class DoormanSubjectTest {
    @Test
    void subjectWhenTheSessionCookieIsValidThenUserWithRolesAuthTimeAndAmrAndOtherwiseEmpty() {
        try (var server = TestServer.start(TestServer.Store.SQLITE)) {
            server.registerVerified("subject@example.org", TestServer.PASSWORD);
            var seen = new AtomicReference<Optional<Subject>>();
            var app = Javalin.create(config -> {
                server.doorman.configureServer(config);
                config.routes.get("/whoami", ctx -> {
                    seen.set(server.doorman.subject(ctx));
                    ctx.result("ok");
                });
            }).start("127.0.0.1", 0);
            try {
                var http = new TestHttp("http://127.0.0.1:" + app.port());
                http.get("/whoami");
                assertThat(seen.get()).isEmpty();

                var login = http.postJson("/api/v1/session", "{\"email\":\"subject@example.org\",\"password\":\"" + TestServer.PASSWORD + "\"}");
                assertThat(login.status()).isEqualTo(200);
                UserId id = UserId.parse(http.get("/api/v1/me").json().get("id").asText());
                server.doorman.roles().save(new RoleStore.Role("editor", Optional.empty()));
                server.doorman.roles().setRoles(id, Set.of("editor"));

                http.get("/whoami");
                Subject subject = seen.get().orElseThrow();
                assertThat(subject.id()).isEqualTo(id.toString());
                assertThat(subject.kind()).isEqualTo(Subject.Kind.USER);
                assertThat(subject.roles()).containsExactly("editor");
                assertThat(subject.scopes()).isEmpty();
                assertThat(subject.authTime()).contains(server.clock.instant());
                assertThat(subject.amr()).containsExactly("pwd");
                assertThat(subject.attributes()).containsEntry("email", "subject@example.org").containsEntry("email_verified", true);

                http.clearCookies();
                http.get("/whoami");
                assertThat(seen.get()).as("without the cookie").isEmpty();
            } finally {
                app.stop();
            }
        }
    }
}
