package dev.doorman.mail;

import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditType;
import dev.doorman.support.ClientInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Sends mail off the request thread, so a slow or failing SMTP server neither delays nor fails the request that
 * caused the mail, and response timing does not reveal whether a mail was sent. Failed sends are retried with
 * backoff; a mail that never goes out is logged (never its body) and audited.
 */
public final class Mailer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Mailer.class);

    private final MailSender sender;
    private final List<Duration> backoff;
    private final AuditLog audit;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    public Mailer(MailSender sender, List<Duration> backoff, AuditLog audit) {
        this.sender = sender;
        this.backoff = List.copyOf(backoff);
        this.audit = audit;
    }

    public static List<Duration> defaultBackoff() {
        return List.of(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(60));
    }

    public void enqueue(Mail mail) {
        executor.execute(() -> deliver(mail));
    }

    private void deliver(Mail mail) {
        for (int attempt = 0; ; attempt++) {
            try {
                sender.send(mail);
                return;
            } catch (MailSender.MailDeliveryException | RuntimeException e) {
                if (attempt >= backoff.size()) {
                    LOG.error("giving up on mail \"{}\" to {} after {} attempts: {}", mail.subject(), mail.to(), attempt + 1, e.getMessage());
                    audit.failure(AuditType.MAIL_FAILED, "smtp_unavailable", Optional.empty(), ClientInfo.unknown());
                    return;
                }
                LOG.warn("mail \"{}\" attempt {} failed ({}); retrying in {}", mail.subject(), attempt + 1, e.getMessage(), backoff.get(attempt));
                try {
                    Thread.sleep(backoff.get(attempt));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Waits briefly for mail in flight (graceful shutdown). */
    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
