package dev.doorman.account;

import dev.doorman.TestServer;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RehashOnLoginTest {
    @Test
    void loginWhenStoredHashHasOldParametersThenItIsUpgradedAndStillVerifies() {
        try (var server = TestServer.start(TestServer.Store.SQLITE)) {
            var random = new SecureRandom();
            var old = new PasswordHasher(new Argon2Params(19456, 2, 1), n -> {
                byte[] b = new byte[n];
                random.nextBytes(b);
                return b;
            }, 1);
            Email email = new Email("legacy@example.org");
            var password = new Password(TestServer.PASSWORD);
            Instant now = server.clock.instant();
            server.doorman.users().insert(new User(UserId.random(), email, Optional.empty(), Optional.of(old.hash(password)),
                    true, false, now, now));

            server.apiLogin(email.value(), TestServer.PASSWORD);

            String upgraded = server.doorman.users().findByEmail(email).orElseThrow().passwordHash().orElseThrow();
            assertThat(upgraded).startsWith("$argon2id$v=19$m=19456,t=4,p=1$");
            assertThat(server.doorman.passwordHasher().verify(password, upgraded)).isTrue();
            server.apiLogin(email.value(), TestServer.PASSWORD);
        }
    }
}
