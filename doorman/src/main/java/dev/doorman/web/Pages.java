package dev.doorman.web;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The model of every server-rendered page. Templates (src/main/jte) take exactly one of these. */
public final class Pages {
    private Pages() {
    }

    /** The header: sign-in state, the token for the logout button, and whether the dev outbox exists. */
    public record Nav(boolean signedIn, String csrf, boolean devOutbox) { }

    public record Login(Nav nav, String csrf, String email, Optional<String> error, Optional<String> notice, String returnTo,
                        Optional<Pow> pow) {
        public Login(Nav nav, String csrf, String email, Optional<String> error, Optional<String> notice, String returnTo) {
            this(nav, csrf, email, error, notice, returnTo, Optional.empty());
        }
    }

    /** A proof-of-work challenge on a form: the browser's script finds the nonce before the form is sent. */
    public record Pow(String challenge, int bits) { }

    /** The mailed unlock link's page: one button spends the token. */
    public record Unlock(Nav nav, String csrf, String token) { }

    public record Register(Nav nav, String csrf, String email, String name, Optional<String> error, int minLength) { }

    public record VerifyEmail(Nav nav, String csrf, String token) { }

    public record Forgot(Nav nav, String csrf, String email) { }

    public record Reset(Nav nav, String csrf, String token, Optional<String> error, int minLength) { }

    public record SessionRow(String id, String userAgent, String ip, String createdAt, String lastSeenAt, boolean current) { }

    public record Account(Nav nav, String csrf, String email, String name, boolean emailVerified, List<SessionRow> sessions,
                          List<ConsentRow> consents, Optional<String> error, Optional<String> notice, int minLength,
                          List<ActivityRow> activity, boolean mustChangePassword) { }

    /** One line of the account page's recent security activity; {@code attention} marks refusals and warnings. */
    public record ActivityRow(String at, String description, String ip, String device, boolean newDevice, boolean newIp, boolean attention) { }

    /** The consent page: the client asks for these scopes (in words); the decision is posted with {@code decisionId}. */
    public record Consent(Nav nav, String csrf, String clientId, String clientName, List<String> scopes, String decisionId) { }

    /** The RP-initiated logout confirmation: a POST carrying what the request asked for. */
    public record LogoutConfirm(Nav nav, String csrf, Map<String, String> fields) { }

    public record ConsentRow(String clientId, String clientName, String scope, String grantedAt) { }

    public record OutboxRow(String at, String to, String subject, String text) { }

    public record Outbox(Nav nav, List<OutboxRow> mails) { }

    /** A page that only says something: a confirmation, or an error. */
    public record Message(Nav nav, String title, String text, Optional<Link> link) { }

    public record Link(String href, String label) { }
}
