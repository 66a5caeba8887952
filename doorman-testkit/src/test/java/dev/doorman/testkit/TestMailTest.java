package dev.doorman.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TestMailTest {

    private TestMail mail;

    @BeforeEach
    void start() {
        mail = TestMail.start();
    }

    @AfterEach
    void stop() {
        mail.close();
    }

    @Test
    void receivesAPlainTextMailAndFindsTheTokenInItsLink() throws MessagingException {
        // Long enough that quoted-printable encoding folds it, and a non-ASCII subject.
        String link = "https://auth.example.test/verify-email?token=abc%2Bdef_" + "x".repeat(80) + "&next=%2Fhome";
        send("alice@example.test", "Confirmez votre adresse ✓",
                "Hello Alice,\n\nSee https://auth.example.test/other/page first.\n"
                        + "Then open " + link + ".\n\nThanks");

        List<TestMail.ReceivedMail> mails = mail.waitForMails("Alice@Example.test", 1, Duration.ofSeconds(5));

        assertThat(mails).hasSize(1);
        TestMail.ReceivedMail received = mails.getFirst();
        assertThat(received.to()).isEqualToIgnoringCase("alice@example.test");
        assertThat(received.subject()).isEqualTo("Confirmez votre adresse ✓");
        assertThat(received.text()).contains("Hello Alice,");
        assertThat(TestMail.firstLink(received.text(), "/verify-email")).contains(link);
        assertThat(TestMail.tokenFrom(link)).isEqualTo("abc+def_" + "x".repeat(80));
        assertThat(TestMail.firstLink(received.text(), "/reset")).isEmpty();
    }

    @Test
    void readsThePlainPartOfAMultipartMail() throws MessagingException {
        MimeMessage message = new MimeMessage(session());
        message.setFrom("doorman@example.test");
        message.setRecipients(Message.RecipientType.TO, "bob@example.test");
        message.setSubject("Reset your password");
        MimeBodyPart plain = new MimeBodyPart();
        plain.setText("Reset: http://127.0.0.1:8080/reset?token=t1", "UTF-8");
        MimeBodyPart html = new MimeBodyPart();
        html.setContent("<a href=\"http://127.0.0.1:8080/reset?token=t1&amp;x=1\">Reset</a>", "text/html; charset=UTF-8");
        message.setContent(new MimeMultipart("alternative", plain, html));
        Transport.send(message);

        TestMail.ReceivedMail received = mail.waitForMails("bob@example.test", 1, Duration.ofSeconds(5)).getFirst();

        assertThat(received.text()).isEqualTo("Reset: http://127.0.0.1:8080/reset?token=t1");
        assertThat(TestMail.tokenFrom(TestMail.firstLink(received.text(), "/reset").orElseThrow())).isEqualTo("t1");
    }

    @Test
    void separatesRecipientsAndForgetsMailOnReset() throws MessagingException {
        send("carol@example.test", "one", "first");
        send("dave@example.test", "two", "second");
        send("carol@example.test", "three", "third");

        assertThat(mail.waitForMails("carol@example.test", 2, Duration.ofSeconds(5)))
                .extracting(TestMail.ReceivedMail::subject).containsExactly("one", "three");
        assertThat(mail.all()).hasSize(3);

        mail.reset();

        assertThat(mail.all()).isEmpty();
        assertThatThrownBy(() -> mail.waitForMails("carol@example.test", 1, Duration.ofMillis(200)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("carol@example.test");
    }

    @Test
    void tokenFromRejectsAUrlWithoutToken() {
        assertThatThrownBy(() -> TestMail.tokenFrom("http://127.0.0.1/verify?x=1"))
                .isInstanceOf(AssertionError.class);
    }

    private void send(String to, String subject, String text) throws MessagingException {
        MimeMessage message = new MimeMessage(session());
        message.setFrom(new InternetAddress("doorman@example.test"));
        message.setRecipients(Message.RecipientType.TO, to);
        message.setSubject(subject, "UTF-8");
        message.setText(text, "UTF-8");
        Transport.send(message);
    }

    private Session session() {
        Properties properties = new Properties();
        properties.put("mail.smtp.host", mail.host());
        properties.put("mail.smtp.port", String.valueOf(mail.smtpPort()));
        return Session.getInstance(properties);
    }
}
