package dev.doorman.resilience;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.doorman.account.Email;
import dev.doorman.audit.AuditEvent;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditStore;
import dev.doorman.audit.AuditType;
import dev.doorman.account.UserId;
import dev.doorman.mail.Mail;
import dev.doorman.mail.MailSettings;
import dev.doorman.mail.Mailer;
import dev.doorman.mail.SmtpMailSender;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Mail goes out over real SMTP; a relay that is down is retried, and a mail that never goes out is audited. */
class MailRetryTest {
    private final List<AuditEvent> audited = new CopyOnWriteArrayList<>();
    private final AuditLog audit = new AuditLog(new AuditStore() {
        @Override
        public void append(AuditEvent event) {
            audited.add(event);
        }

        @Override
        public List<AuditEvent> recent(int limit) {
            return List.copyOf(audited);
        }

        @Override
        public List<AuditEvent> forUser(UserId user, int limit) {
            return List.of();
        }
    }, Clock.systemUTC());

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static SmtpMailSender smtpOn(int port) {
        return new SmtpMailSender(new MailSettings.Smtp("127.0.0.1", port, Optional.empty(), Optional.empty(), MailSettings.Tls.NONE),
                "Doorman <no-reply@doorman.test>");
    }

    @Test
    void enqueueWhenTheRelayIsDownAtFirstThenTheMailIsDeliveredByARetry() throws Exception {
        int port = freePort();
        try (var mailer = new Mailer(smtpOn(port), List.of(Duration.ofMillis(300), Duration.ofMillis(600), Duration.ofSeconds(1)), audit)) {
            mailer.enqueue(new Mail(new Email("late@example.org"), "Hello", "first attempt fails"));
            Thread.sleep(100);   // the first attempt has failed by now: nothing listens on the port
            var greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            greenMail.start();
            try {
                assertThat(greenMail.waitForIncomingEmail(5_000, 1)).isTrue();
                assertThat(greenMail.getReceivedMessages()[0].getSubject()).isEqualTo("Hello");
                assertThat(audited).isEmpty();
            } finally {
                greenMail.stop();
            }
        }
    }

    @Test
    void enqueueWhenTheRelayNeverAnswersThenTheFailureIsAuditedAndTheCallerWasNotDelayed() throws Exception {
        int port = freePort();
        try (var mailer = new Mailer(smtpOn(port), List.of(Duration.ofMillis(50), Duration.ofMillis(50)), audit)) {
            long start = System.nanoTime();
            mailer.enqueue(new Mail(new Email("nobody@example.org"), "Lost", "never delivered"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(100));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (audited.isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
        }
        assertThat(audited).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(AuditType.MAIL_FAILED);
            assertThat(e.reason()).contains("smtp_unavailable");
        });
    }
}
