package dev.doorman.mail;

import java.util.Objects;
import java.util.Optional;

/** Outgoing mail. With no SMTP host, dev mode writes mail to the dev outbox instead. */
public record MailSettings(Optional<Smtp> smtp, String from) {
    public enum Tls { NONE, STARTTLS, TLS }

    public record Smtp(String host, int port, Optional<String> username, Optional<String> password, Tls tls) {
        public Smtp {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) throw new IllegalArgumentException("SMTP host must not be blank");
            if (port < 1 || port > 65535) throw new IllegalArgumentException("SMTP port must be between 1 and 65535");
            Objects.requireNonNull(tls, "tls");
            if (username.isPresent() != password.isPresent()) throw new IllegalArgumentException("SMTP username and password go together");
        }
    }

    public MailSettings {
        Objects.requireNonNull(smtp, "smtp");
        Objects.requireNonNull(from, "from");
    }

    public static MailSettings devOutbox() {
        return new MailSettings(Optional.empty(), "Doorman <no-reply@localhost>");
    }
}
