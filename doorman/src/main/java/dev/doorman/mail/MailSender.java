package dev.doorman.mail;

/** Delivers one mail now, or throws. {@link Mailer} adds the queue and retries. */
public interface MailSender {
    void send(Mail mail) throws MailDeliveryException;

    final class MailDeliveryException extends Exception {
        public MailDeliveryException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
