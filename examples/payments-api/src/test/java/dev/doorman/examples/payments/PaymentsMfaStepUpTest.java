package dev.doorman.examples.payments;

import dev.doorman.mfa.Totp;
import dev.doorman.testkit.TestHttp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.UUID;

import static dev.doorman.examples.payments.PaymentsApiTest.LIMIT;
import static dev.doorman.examples.payments.PaymentsApiTest.assertProblem;
import static dev.doorman.examples.payments.PaymentsApiTest.body;
import static dev.doorman.examples.payments.PaymentsApiTest.pay;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The second factor from Doorman's real MFA, no test-supplied evidence: a password-only session is refused a payment
 * over the limit; after enrolling TOTP, a login with the password and a code computed from the secret pays it.
 */
class PaymentsMfaStepUpTest {
    @BeforeAll
    static void start() {
        PaymentsApiTest.start0();   // the app PaymentsApiTest runs, with the default step-up evidence: Doorman's own session
    }

    @Test
    void overTheLimitWhenThePayerLoggedInWithPasswordAndTotpThen201AndWithThePasswordAloneThen403() {
        var ada = PaymentsApiTest.payer("ada.totp@example.org");
        // A session that proved only the password: over the limit needs a recent second factor.
        assertProblem(pay(ada.http(), UUID.randomUUID().toString(), body(ada.account(), LIMIT + 1)), 403, "payments.approval_required");

        var enroll = ada.http().postJson("/api/v1/me/mfa/totp", "{}");
        assertThat(enroll.status()).as(enroll.body()).isEqualTo(200);
        byte[] secret = base32(enroll.json().get("secret").asText());
        long step = Totp.step(Instant.now());
        assertThat(ada.http().postJson("/api/v1/me/mfa/totp/confirm", "{\"code\":\"" + Totp.code(secret, step) + "\"}").status()).isEqualTo(200);

        // A new login: the password, then a code (the next time step's: accepted within ±1, and no replay of the first).
        var http = new TestHttp(PaymentsApiTest.base);
        http.setHeader("Origin", PaymentsApiTest.base);   // as the app's own page would send it
        var first = http.postJson("/api/v1/session", "{\"email\":\"ada.totp@example.org\",\"password\":\"" + PaymentsApiTest.PASSWORD + "\"}");
        assertThat(first.status()).as(first.body()).isEqualTo(202);
        assertThat(pay(http, UUID.randomUUID().toString(), body(ada.account(), 1)).status()).as("no session before the code").isEqualTo(401);
        var second = http.postJson("/api/v1/session/mfa", "{\"code\":\"" + Totp.code(secret, step + 1) + "\"}");
        assertThat(second.status()).as(second.body()).isEqualTo(200);
        http.setHeader("X-CSRF-Token", second.json().get("csrfToken").asText());

        var paid = pay(http, UUID.randomUUID().toString(), body(ada.account(), LIMIT + 1));
        assertThat(paid.status()).as(paid.body()).isEqualTo(201);
        assertThat(PaymentsApiTest.app.store().paymentsOf(ada.id())).hasSize(1);
    }

    /** RFC 4648 base32, as authenticator apps read the secret. */
    private static byte[] base32(String text) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var out = new ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (char c : text.replace("=", "").toUpperCase().toCharArray()) {
            buffer = (buffer << 5) | alphabet.indexOf(c);
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        return out.toByteArray();
    }
}
