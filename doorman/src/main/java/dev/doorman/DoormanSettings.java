package dev.doorman;

import dev.doorman.account.AccountSettings;
import dev.doorman.account.PasswordSettings;
import dev.doorman.mail.MailSettings;
import dev.doorman.mfa.MfaSettings;
import dev.doorman.oauth2.OAuth2Settings;
import dev.doorman.session.SessionSettings;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything Doorman's core needs to know, loaded and validated once, passed down in slices.
 *
 * @param baseUrl         the public origin; every link Doorman mails and every origin check uses it, never the Host header
 * @param maxRequestBytes the cap on request bodies
 * @param oauth2          token lifetimes and signing keys
 * @param mfa             second factors: TOTP, recovery codes, passkeys, step-up, the roles that must use them
 */
public record DoormanSettings(Mode mode, URI baseUrl, SessionSettings session, PasswordSettings password,
                              AccountSettings accounts, MailSettings mail, long maxRequestBytes, OAuth2Settings oauth2, MfaSettings mfa) {
    public enum Mode { DEV, PRODUCTION }

    public DoormanSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(accounts, "accounts");
        Objects.requireNonNull(mail, "mail");
        Objects.requireNonNull(oauth2, "oauth2");
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

    /** Settings with the default second-factor settings. */
    public DoormanSettings(Mode mode, URI baseUrl, SessionSettings session, PasswordSettings password, AccountSettings accounts,
                           MailSettings mail, long maxRequestBytes, OAuth2Settings oauth2) {
        this(mode, baseUrl, session, password, accounts, mail, maxRequestBytes, oauth2, MfaSettings.defaults());
    }

    /** Dev defaults for the given public URL. */
    public static DoormanSettings dev(URI baseUrl) {
        return new DoormanSettings(Mode.DEV, baseUrl, SessionSettings.defaults(), PasswordSettings.defaults(),
                AccountSettings.defaults(), MailSettings.devOutbox(), 64 * 1024, OAuth2Settings.defaults());
    }

    public DoormanSettings withOAuth2(OAuth2Settings oauth2) {
        return new DoormanSettings(mode, baseUrl, session, password, accounts, mail, maxRequestBytes, oauth2, mfa);
    }

    public DoormanSettings withMfa(MfaSettings mfa) {
        return new DoormanSettings(mode, baseUrl, session, password, accounts, mail, maxRequestBytes, oauth2, mfa);
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
        return problems;
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }
}
