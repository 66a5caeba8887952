package dev.doorman.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.doorman.account.Email;
import dev.doorman.account.UserId;
import dev.doorman.support.ClientInfo;
import dev.doorman.support.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Writes each security event to the audit table and as one JSON line on the {@code doorman.audit} logger.
 * JSON encoding escapes CR/LF and control characters, so a crafted user agent cannot forge a log line.
 */
public final class AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger("doorman.audit");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AuditStore store;
    private final Clock clock;
    private final Consumer<AuditEvent> listener;

    public AuditLog(AuditStore store, Clock clock) {
        this(store, clock, e -> { });
    }

    /** @param listener told of every event once it is stored (the metrics count them by type and outcome) */
    public AuditLog(AuditStore store, Clock clock, Consumer<AuditEvent> listener) {
        this.store = store;
        this.clock = clock;
        this.listener = listener;
    }

    public void success(AuditType type, Optional<UserId> user, ClientInfo client) {
        record(new AuditEvent(clock.instant(), type, AuditEvent.Outcome.SUCCESS, Optional.empty(), user, Optional.empty(), client));
    }

    public void failure(AuditType type, String reason, Optional<UserId> user, ClientInfo client) {
        record(new AuditEvent(clock.instant(), type, AuditEvent.Outcome.FAILURE, Optional.of(reason), user, Optional.empty(), client));
    }

    /** An event about an identifier that matched no account: only a truncated hash of it is kept. */
    public void unknownAccount(AuditType type, AuditEvent.Outcome outcome, String reason, Email email, ClientInfo client) {
        unknownIdentifier(type, outcome, reason, email.value(), client);
    }

    /** Like {@link #unknownAccount} for an identifier that is not even an e-mail address (kept only as a hash). */
    public void unknownIdentifier(AuditType type, AuditEvent.Outcome outcome, String reason, String identifier, ClientInfo client) {
        record(new AuditEvent(clock.instant(), type, outcome, Optional.of(reason), Optional.empty(),
                Optional.of(hint(identifier)), client));
    }

    /**
     * An event about a registered OAuth client ({@code client_*} types): its {@code client_id}, which is public and of a
     * checked shape, is kept as it is. A {@code client_id} that matched no client goes through {@link #unknownIdentifier}.
     */
    public void clientEvent(AuditType type, AuditEvent.Outcome outcome, Optional<String> reason, String clientId, ClientInfo client) {
        record(new AuditEvent(clock.instant(), type, outcome, reason, Optional.empty(), Optional.of(clientId), client));
    }

    /** An event of a user's authorization of a registered client: both are kept. */
    public void authorizationEvent(AuditType type, AuditEvent.Outcome outcome, Optional<String> reason, Optional<UserId> user,
                                   String clientId, ClientInfo client) {
        record(new AuditEvent(clock.instant(), type, outcome, reason, user, Optional.of(clientId), client));
    }

    public static String hint(String identifier) {
        return Secrets.hash(identifier).substring(0, 16);
    }

    public void record(AuditEvent event) {
        if (event.type().refusal()) store.appendSoon(event);
        else store.append(event);
        LOG.info(toJson(event));
        listener.accept(event);
    }

    static String toJson(AuditEvent e) {
        ObjectNode line = JSON.createObjectNode()
                .put("at", e.at().toString())
                .put("event", e.type().wireName())
                .put("outcome", e.outcome().name().toLowerCase(java.util.Locale.ROOT));
        e.reason().ifPresent(r -> line.put("reason", r));
        e.user().ifPresent(u -> line.put("user", u.toString()));
        e.subjectHint().ifPresent(h -> line.put("subject_hint", h));
        line.put("ip", e.client().ip()).put("user_agent", e.client().userAgent());
        return line.toString();
    }
}
