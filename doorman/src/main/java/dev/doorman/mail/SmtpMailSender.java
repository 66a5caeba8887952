package dev.doorman.mail;

import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Properties;

/** SMTP through Jakarta Mail (Angus): plain for a local relay, STARTTLS (required, not opportunistic) or implicit TLS. */
public final class SmtpMailSender implements MailSender {
    private final Session session;
    private final InternetAddress from;

    public SmtpMailSender(MailSettings.Smtp smtp, String from) {
        var props = new Properties();
        String protocol = smtp.tls() == MailSettings.Tls.TLS ? "smtps" : "smtp";
        String p = "mail." + protocol + ".";
        props.put("mail.transport.protocol", protocol);
        props.put(p + "host", smtp.host());
        props.put(p + "port", String.valueOf(smtp.port()));
        props.put(p + "connectiontimeout", "5000");
        props.put(p + "timeout", "10000");
        props.put(p + "writetimeout", "10000");
        props.put(p + "auth", String.valueOf(smtp.username().isPresent()));
        if (smtp.tls() == MailSettings.Tls.STARTTLS) {
            props.put(p + "starttls.enable", "true");
            props.put(p + "starttls.required", "true");
        }
        if (smtp.tls() != MailSettings.Tls.NONE) props.put(p + "ssl.checkserveridentity", "true");
        Authenticator auth = smtp.username().isEmpty() ? null : new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(smtp.username().get(), smtp.password().orElse(""));
            }
        };
        this.session = Session.getInstance(props, auth);
        try {
            this.from = new InternetAddress(from, true);
        } catch (jakarta.mail.internet.AddressException e) {
            throw new IllegalArgumentException("the mail sender address '" + from + "' is not a valid address", e);
        }
    }

    @Override
    public void send(Mail mail) throws MailDeliveryException {
        try {
            var message = new MimeMessage(session);
            message.setFrom(from);
            message.setRecipient(Message.RecipientType.TO, new InternetAddress(mail.to().value(), true));
            message.setSubject(mail.subject(), StandardCharsets.UTF_8.name());
            message.setText(mail.text(), StandardCharsets.UTF_8.name());
            message.setSentDate(new Date());
            Transport.send(message);
        } catch (MessagingException e) {
            throw new MailDeliveryException("SMTP delivery failed: " + e.getClass().getSimpleName(), e);
        }
    }
}
