package dev.doorman;

import dev.doorman.account.AccountSettings;
import dev.doorman.account.PasswordSettings;
import dev.doorman.guard.GuardSettings;
import dev.doorman.mail.MailSettings;
import dev.doorman.metrics.MetricsSettings;
import dev.doorman.metrics.ObservabilitySettings;
import dev.doorman.mfa.MfaSettings;
import dev.doorman.oauth2.OAuth2Settings;
import dev.doorman.session.SessionSettings;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything Doorman's core needs to know, loaded and validated once, passed down in slices.
 *
 * @param baseUrl         the public origin; every link Doorman mails and every origin check uses it, never the Host header
 * @param maxRequestBytes the cap on request bodies
 * @param oauth2          token lifetimes and signing keys
 * @param guard           rate limits, brute-force defence, trusted proxies
 * @param observability   metrics exposure and audit retention
 * @param mfa             second factors: TOTP, recovery codes, passkeys, step-up, the roles that must use them
 */
public record DoormanSettings(Mode mode, URI baseUrl, SessionSettings session, PasswordSettings password,
                              AccountSettings accounts, MailSettings mail, long maxRequestBytes, OAuth2Settings oauth2,
                              GuardSettings guard, ObservabilitySettings observability, MfaSettings mfa) {
    public enum Mode { DEV, PRODUCTION }

    public DoormanSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(accounts, "accounts");
        Objects.requireNonNull(mail, "mail");
        Objects.requireNonNull(oauth2, "oauth2");
        Objects.requireNonNull(guard, "guard");
        Objects.requireNonNull(observability, "observability");
        Objects.requireNonNull(mfa, "mfa");
        String scheme = baseUrl.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme) || baseUrl.getHost() == null)
            throw new IllegalArgumentException("base URL must be an absolute http(s) URL, got '" + baseUrl + "'");
        if (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null)
            throw new IllegalArgumentException("base URL must not have a query or fragment");
        String path = baseUrl.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/"))
            throw new IllegalArgumentException("base URL must be an origin without a path (serve Doorman at the root of its host)");
        baseUrl = URI.create(scheme + "://" + baseUrl.getRawAuthority());
        String host = baseUrl.getHost();
        mfa.rpId().ifPresent(rpId -> {
            if (!host.equals(rpId) && !host.endsWith("." + rpId))
                throw new IllegalArgumentException("the WebAuthn rpId '" + rpId + "' must be the base URL's host '" + host + "' or a parent domain of it");
        });
        if (maxRequestBytes < 1024) throw new IllegalArgumentException("max request size must be at least 1024 bytes");
    }

    /** With the defaults for rate limits, observability (metrics open in dev, off in production) and second factors. */
    public DoormanSettings(Mode mode, URI baseUrl, SessionSettings session, PasswordSettings password,
                           AccountSettings accounts, MailSettings mail, long maxRequestBytes, OAuth2Settings oauth2) {
        this(mode, baseUrl, session, password, accounts, mail, maxRequestBytes, oauth2, GuardSettings.defaults());
    }

    /** With these rate limits and the other defaults. */
    public DoormanSettings(Mode mode, URI baseUrl, SessionSettings session, PasswordSettings password,
                           AccountSettings accounts, MailSettings mail, long maxRequestBytes, OAuth2Settings oauth2, GuardSettings guard) {
        this(mode, baseUrl, session, password, accounts, mail, maxRequestBytes, oauth2, guard, mode == Mode.PRODUCTION
                ? new ObservabilitySettings(MetricsSettings.off(), Optional.empty()) : ObservabilitySettings.defaults(), MfaSettings.defaults());
    }

    /** With these observability settings and the other defaults. */
    public DoormanSettings(Mode mode, URI baseUrl, SessionSettings session, PasswordSettings password,
                           AccountSettings accounts, MailSettings mail, long maxRequestBytes, OAuth2Settings oauth2,
                           ObservabilitySettings observability) {
        this(mode, baseUrl, session, password, accounts, mail, maxRequestBytes, oauth2, GuardSettings.defaults(), observability,
                MfaSettings.defaults());
    }

    /** With these second-factor settings and the other defaults. */
    public DoormanSettings(Mode mode, URI baseUrl, SessionSettings session, PasswordSettings password,
                           AccountSettings accounts, MailSettings mail, long maxRequestBytes, OAuth2Settings oauth2, MfaSettings mfa) {
        this(mode, baseUrl, session, password, accounts, mail, maxRequestBytes, oauth2, GuardSettings.defaults(), mode == Mode.PRODUCTION
                ? new ObservabilitySettings(MetricsSettings.off(), Optional.empty()) : ObservabilitySettings.defaults(), mfa);
    }

    /** Dev defaults for the given public URL. */
    public static DoormanSettings dev(URI baseUrl) {
        return new DoormanSettings(Mode.DEV, baseUrl, SessionSettings.defaults(), PasswordSettings.defaults(),
                AccountSettings.defaults(), MailSettings.devOutbox(), 64 * 1024, OAuth2Settings.defaults());
    }

    public DoormanSettings withOAuth2(OAuth2Settings oauth2) {
        return new DoormanSettings(mode, baseUrl, session, password, accounts, mail, maxRequestBytes, oauth2, guard, observability, mfa);
    }

    public DoormanSettings withGuard(GuardSettings guard) {
        return new DoormanSettings(mode, baseUrl, session, password, accounts, mail, maxRequestBytes, oauth2, guard, observability, mfa);
    }

    public DoormanSettings withObservability(ObservabilitySettings observability) {
        return new DoormanSettings(mode, baseUrl, session, password, accounts, mail, maxRequestBytes, oauth2, guard, observability, mfa);
    }

    public DoormanSettings withPassword(PasswordSettings password) {
        return new DoormanSettings(mode, baseUrl, session, password, accounts, mail, maxRequestBytes, oauth2, guard, observability, mfa);
    }

    public DoormanSettings withMfa(MfaSettings mfa) {
        return new DoormanSettings(mode, baseUrl, session, password, accounts, mail, maxRequestBytes, oauth2, guard, observability, mfa);
    }

    public boolean production() {
        return mode == Mode.PRODUCTION;
    }

    /** The origin browsers send in Origin headers for our own pages: scheme://host[:port]. */
    public String origin() {
        return baseUrl.toString();
    }

    /** Settings that production mode refuses, each with what to do about it. Empty in dev mode. */
    public List<String> insecureForProduction() {
        if (!production()) return List.of();
        var problems = new ArrayList<String>();
        if (!"https".equals(baseUrl.getScheme()))
            problems.add("base URL '" + baseUrl + "' is not https: set DOORMAN_BASE_URL to the public https:// URL");
        if (mail.smtp().isEmpty())
            problems.add("no SMTP server is configured: set DOORMAN_SMTP_HOST (and port, credentials, TLS)");
        else if (mail.smtp().get().tls() == MailSettings.Tls.NONE && !isLoopback(mail.smtp().get().host()))
            problems.add("SMTP without TLS to a non-local relay: set DOORMAN_SMTP_TLS to starttls or tls");
        if (!session.secureCookie())
            problems.add("secure cookies are off: set session.secureCookie to true");
        if (!session.hostPrefix())
            problems.add("the __Host- cookie prefix is off: set session.hostPrefix to true");
        if (oauth2.keyEncryptionKey().isEmpty())
            problems.add("no key-encryption key for the token signing keys: set DOORMAN_KEY_ENCRYPTION_KEY to base64 of 32 random bytes "
                    + "(openssl rand -base64 32) and keep it safe; without it the signing keys cannot be read");
        if (observability.metrics().exposure() == MetricsSettings.Exposure.OPEN)
            problems.add("/metrics would be served to anyone: set metrics.exposure (DOORMAN_METRICS_EXPOSURE) to token, with "
                    + "DOORMAN_METRICS_TOKEN, or to port, with DOORMAN_METRICS_PORT, or to off");
        return problems;
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }
}
