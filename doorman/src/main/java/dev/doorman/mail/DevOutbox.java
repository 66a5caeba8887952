package dev.doorman.mail;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Dev mode without SMTP: mail is kept in memory (the newest 100) and shown at the dev outbox page, and
 * announced in the log. Production mode never wires this.
 */
public final class DevOutbox implements MailSender {
    private static final Logger LOG = LoggerFactory.getLogger(DevOutbox.class);
    private static final int KEEP = 100;

    public record Entry(Instant at, Mail mail) { }

    private final Deque<Entry> entries = new ArrayDeque<>();
    private final Clock clock;
    private final String outboxUrl;

    public DevOutbox(Clock clock, String outboxUrl) {
        this.clock = clock;
        this.outboxUrl = outboxUrl;
    }

    @Override
    public synchronized void send(Mail mail) {
        entries.addFirst(new Entry(clock.instant(), mail));
        while (entries.size() > KEEP) entries.removeLast();
        LOG.info("dev outbox: mail to {} \"{}\" — read it at {}", mail.to(), mail.subject(), outboxUrl);
    }

    /** Newest first. */
    public synchronized List<Entry> entries() {
        return new ArrayList<>(entries);
    }
}
