package dev.doorman.testkit;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An SMTP server for tests that keeps every mail it receives so the test can read it.
 *
 * <p>Why: sign-up confirmation, password reset and magic links all arrive by mail, so end-to-end
 * tests must catch the mail and follow the link in it. This wraps GreenMail listening on
 * {@code 127.0.0.1} on a free port chosen by the OS (so parallel test JVMs never collide),
 * accepting any sender and recipient, and any SMTP login (the code under test may be configured
 * with credentials).
 *
 * <p>Each test (or test class) should {@link #start()} its own instance and {@link #close()} it.
 */
public final class TestMail implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final Duration POLL_INTERVAL = Duration.ofMillis(25);
    private static final Pattern URL = Pattern.compile("https?://[^\\s\"'<>]+");
    private static final String URL_TRAILING_PUNCTUATION = ".,;:!?)]}";

    private final GreenMail greenMail;

    private TestMail(GreenMail greenMail) {
        this.greenMail = greenMail;
    }

    /**
     * One mail as delivered to one recipient. A mail to several recipients (To, Cc or Bcc) is
     * seen once per recipient, each with its own {@code to}.
     *
     * @param to      the recipient's address, as given in the SMTP envelope
     * @param subject the decoded subject
     * @param text    the decoded {@code text/plain} body; if the mail has no plain-text part, the
     *                decoded {@code text/html} source instead (links can still be found in it)
     */
    public record ReceivedMail(String to, String subject, String text) {}

    /** Starts a new SMTP server on {@code 127.0.0.1} on a free port. */
    public static TestMail start() {
        GreenMail greenMail = new GreenMail(new ServerSetup(0, HOST, ServerSetup.PROTOCOL_SMTP).dynamicPort())
                .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        greenMail.start();
        return new TestMail(greenMail);
    }

    /** The host to point the code under test at: {@code 127.0.0.1}. */
    public String host() {
        return HOST;
    }

    /** The port the SMTP server listens on. */
    public int smtpPort() {
        return greenMail.getSmtp().getPort();
    }

    /**
     * Waits until at least {@code count} mails have been delivered to {@code to}, and returns all
     * mails delivered to that address, oldest first (so possibly more than {@code count}).
     * Addresses are compared ignoring case.
     *
     * @throws AssertionError if fewer than {@code count} arrive within {@code timeout}; the message
     *                        lists what did arrive, to help see a mistyped address or a missing send
     */
    public List<ReceivedMail> waitForMails(String to, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<ReceivedMail> mails = all().stream().filter(mail -> mail.to().equalsIgnoreCase(to)).toList();
            if (mails.size() >= count) {
                return mails;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("Expected " + count + " mail(s) to " + to + " within " + timeout
                        + " but got " + mails.size() + ". All mails received: " + summary(all()));
            }
            sleep(POLL_INTERVAL);
        }
    }

    /** Every mail received so far, one entry per recipient, oldest first. */
    public List<ReceivedMail> all() {
        // GreenMail's user list may change while we read it (a mail to a new address arriving): read again.
        for (int attempt = 1; ; attempt++) {
            try {
                return readAll();
            } catch (java.util.ConcurrentModificationException e) {
                if (attempt == 5) throw e;
            }
        }
    }

    private List<ReceivedMail> readAll() {
        record Delivery(long receivedAt, ReceivedMail mail) {}
        List<Delivery> deliveries = new ArrayList<>();
        for (GreenMailUser user : List.copyOf(greenMail.getUserManager().listUser())) {
            for (StoredMessage message : inboxOf(user)) {
                deliveries.add(new Delivery(message.getReceivedDate().getTime(), toReceivedMail(user, message)));
            }
        }
        deliveries.sort(Comparator.comparingLong(Delivery::receivedAt));
        return deliveries.stream().map(Delivery::mail).toList();
    }

    /** Deletes every mail received so far, so the next assertions see only new ones. */
    public void reset() {
        try {
            greenMail.purgeEmailFromAllMailboxes();
        } catch (FolderException e) {
            throw new IllegalStateException("Could not purge GreenMail mailboxes", e);
        }
    }

    /** Stops the server. */
    @Override
    public void close() {
        greenMail.stop();
    }

    /**
     * The first {@code http(s)} URL in {@code text} whose path starts with {@code pathPrefix}
     * (e.g. {@code "/verify"}). Trailing sentence punctuation is not part of the URL, and
     * {@code &amp;} (from an HTML body) is read as {@code &}.
     */
    public static Optional<String> firstLink(String text, String pathPrefix) {
        Matcher matcher = URL.matcher(text);
        while (matcher.find()) {
            String url = trimTrailingPunctuation(matcher.group()).replace("&amp;", "&");
            String path;
            try {
                path = URI.create(url).getPath();
            } catch (IllegalArgumentException notAUri) {
                continue;
            }
            if (path != null && path.startsWith(pathPrefix)) {
                return Optional.of(url);
            }
        }
        return Optional.empty();
    }

    /**
     * The URL-decoded value of the {@code token} query parameter of {@code url}.
     *
     * @throws AssertionError if the URL has no {@code token} parameter
     */
    public static String tokenFrom(String url) {
        String query = URI.create(url).getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                String name = equals < 0 ? pair : pair.substring(0, equals);
                if (URLDecoder.decode(name, StandardCharsets.UTF_8).equals("token")) {
                    return equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                }
            }
        }
        throw new AssertionError("No token query parameter in " + url);
    }

    private List<StoredMessage> inboxOf(GreenMailUser user) {
        try {
            return greenMail.getManagers().getImapHostManager().getInbox(user).getMessages();
        } catch (FolderException e) {
            throw new IllegalStateException("Could not read the GreenMail inbox of " + user.getEmail(), e);
        }
    }

    private static ReceivedMail toReceivedMail(GreenMailUser user, StoredMessage message) {
        try {
            var mime = message.getMimeMessage();
            String text = textOf(mime, "text/plain").or(() -> textOf(mime, "text/html")).orElse("");
            return new ReceivedMail(user.getEmail(), mime.getSubject(), text);
        } catch (MessagingException e) {
            throw new IllegalStateException("Could not decode a mail to " + user.getEmail(), e);
        }
    }

    /** The decoded content of the first part of the given type, searching nested multiparts. */
    private static Optional<String> textOf(Part part, String mimeType) {
        try {
            if (part.isMimeType(mimeType)) {
                return Optional.of((String) part.getContent());
            }
            if (part.isMimeType("multipart/*")) {
                Multipart multipart = (Multipart) part.getContent();
                for (int i = 0; i < multipart.getCount(); i++) {
                    BodyPart child = multipart.getBodyPart(i);
                    Optional<String> found = textOf(child, mimeType);
                    if (found.isPresent()) {
                        return found;
                    }
                }
            }
            return Optional.empty();
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException("Could not decode a mail part", e);
        }
    }

    private static String trimTrailingPunctuation(String url) {
        int end = url.length();
        while (end > 0 && URL_TRAILING_PUNCTUATION.indexOf(url.charAt(end - 1)) >= 0) {
            end--;
        }
        return url.substring(0, end);
    }

    private static String summary(List<ReceivedMail> mails) {
        if (mails.isEmpty()) {
            return "none";
        }
        StringBuilder out = new StringBuilder();
        for (ReceivedMail mail : mails) {
            out.append("\n  to=").append(mail.to()).append(" subject=").append(mail.subject());
        }
        return out.toString();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for mail", e);
        }
    }
}
