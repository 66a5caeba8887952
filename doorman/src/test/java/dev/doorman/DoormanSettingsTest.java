package dev.doorman;

import dev.doorman.account.AccountSettings;
import dev.doorman.account.PasswordSettings;
import dev.doorman.mail.MailSettings;
import dev.doorman.oauth2.OAuth2Settings;
import dev.doorman.session.SessionSettings;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DoormanSettingsTest {
    static final String KEK = "q2E9XsS8oOTvM3C1Kx7m0g5NnUe6lP4bYw1zRjAhcDI=";

    private static DoormanSettings production(String baseUrl, Optional<MailSettings.Smtp> smtp, SessionSettings session) {
        return new DoormanSettings(DoormanSettings.Mode.PRODUCTION, URI.create(baseUrl), session, PasswordSettings.defaults(),
                AccountSettings.defaults(), new MailSettings(smtp, "Doorman <no-reply@example.org>"), 65536,
                OAuth2Settings.defaults().withKeyEncryptionKey(KEK));
    }

    private static final Optional<MailSettings.Smtp> SMTP =
            Optional.of(new MailSettings.Smtp("smtp.example.org", 587, Optional.of("u"), Optional.of("p"), MailSettings.Tls.STARTTLS));
    private static final SessionSettings SECURE = new SessionSettings(Duration.ofMinutes(30), Duration.ofHours(12),
            SessionSettings.SameSite.LAX, true, true);

    @Test
    void insecureForProductionWhenEverythingIsSafeThenNothing() {
        assertThat(production("https://id.example.org", SMTP, SECURE).insecureForProduction()).isEmpty();
    }

    @Test
    void insecureForProductionWhenHttpNoSmtpAndInsecureCookiesThenEachIsNamedWithTheFix() {
        var insecure = new SessionSettings(Duration.ofMinutes(30), Duration.ofHours(12), SessionSettings.SameSite.LAX, false, false);
        assertThat(production("http://id.example.org", Optional.empty(), insecure).insecureForProduction())
                .anySatisfy(p -> assertThat(p).contains("not https").contains("DOORMAN_BASE_URL"))
                .anySatisfy(p -> assertThat(p).contains("SMTP").contains("DOORMAN_SMTP_HOST"))
                .anySatisfy(p -> assertThat(p).contains("secure cookies are off"))
                .anySatisfy(p -> assertThat(p).contains("__Host-"));
    }

    @Test
    void buildWhenProductionIsInsecureThenRefusesToStartAndSaysWhatToFix() {
        var settings = production("http://id.example.org", SMTP, SECURE);
        assertThatThrownBy(() -> Doorman.builder(settings, dev.doorman.db.Database.of(new org.sqlite.SQLiteDataSource(),
                dev.doorman.db.Dialect.SQLITE)).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refusing to start in production mode")
                .hasMessageContaining("not https");
    }

    @Test
    void insecureForProductionWhenNoKeyEncryptionKeyThenRefusedNamingTheVariable() {
        var settings = production("https://id.example.org", SMTP, SECURE).withOAuth2(OAuth2Settings.defaults());

        assertThat(settings.insecureForProduction()).singleElement().satisfies(p -> assertThat(p)
                .contains("no key-encryption key").contains("DOORMAN_KEY_ENCRYPTION_KEY").contains("32 random bytes"));
    }

    @Test
    void buildWhenProductionHasNoKeyEncryptionKeyThenRefusesToStartBeforeTouchingTheDatabase() {
        var settings = production("https://id.example.org", SMTP, SECURE).withOAuth2(OAuth2Settings.defaults());

        assertThatThrownBy(() -> Doorman.builder(settings, dev.doorman.db.Database.of(new org.sqlite.SQLiteDataSource(),
                dev.doorman.db.Dialect.SQLITE)).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refusing to start in production mode")
                .hasMessageContaining("DOORMAN_KEY_ENCRYPTION_KEY");
    }

    @Test
    void oauth2SettingsWhenKeyEncryptionKeyIsNotBase64Of32BytesThenRefusedWithoutShowingIt() {
        String tooShort = java.util.Base64.getEncoder().encodeToString(new byte[16]);

        assertThatThrownBy(() -> OAuth2Settings.defaults().withKeyEncryptionKey(tooShort))
                .hasMessageContaining("must be 32 bytes").hasMessageNotContaining(tooShort);
        assertThatThrownBy(() -> OAuth2Settings.defaults().withKeyEncryptionKey("not base64 at all!"))
                .hasMessageContaining("not base64").hasMessageNotContaining("not base64 at all!");
        assertThat(OAuth2Settings.defaults().withKeyEncryptionKey(KEK).keyEncryptionKey()).contains(KEK);
    }

    @Test
    void oauth2SettingsWhenPrintedThenKeyEncryptionKeyIsNot() {
        var settings = production("https://id.example.org", SMTP, SECURE);

        assertThat(settings.oauth2().toString()).doesNotContain(KEK).contains("keyEncryptionKey=(set)");
        assertThat(settings.toString()).doesNotContain(KEK);
    }

    @Test
    void oauth2SettingsWhenKeyRotationShorterThanAnHourThenRefused() {
        assertThatThrownBy(() -> OAuth2Settings.defaults().withKeyRotation(Duration.ofMinutes(59))).hasMessageContaining("at least 1 hour");
        assertThat(OAuth2Settings.defaults().withKeyRotation(Duration.ofDays(30)).keyRotation()).contains(Duration.ofDays(30));
    }

    @Test
    void insecureForProductionWhenDevModeThenNothingEvenIfInsecure() {
        assertThat(DoormanSettings.dev(URI.create("http://localhost:8080")).insecureForProduction()).isEmpty();
    }

    @Test
    void constructorWhenBaseUrlHasPathQueryOrBadSchemeThenRefused() {
        assertThatThrownBy(() -> DoormanSettings.dev(URI.create("https://example.org/auth"))).hasMessageContaining("path");
        assertThatThrownBy(() -> DoormanSettings.dev(URI.create("https://example.org?x=1"))).hasMessageContaining("query");
        assertThatThrownBy(() -> DoormanSettings.dev(URI.create("ftp://example.org"))).hasMessageContaining("http(s)");
        assertThat(DoormanSettings.dev(URI.create("https://example.org/")).origin()).isEqualTo("https://example.org");
    }

    @Test
    void sessionSettingsWhenAbsoluteShorterThanIdleOrHostPrefixWithoutSecureThenRefused() {
        assertThatThrownBy(() -> new SessionSettings(Duration.ofHours(2), Duration.ofHours(1), SessionSettings.SameSite.LAX, true, false))
                .hasMessageContaining("absolute");
        assertThatThrownBy(() -> new SessionSettings(Duration.ofMinutes(30), Duration.ofHours(1), SessionSettings.SameSite.LAX, false, true))
                .hasMessageContaining("__Host-");
        assertThat(SECURE.sessionCookieName()).isEqualTo("__Host-doorman_session");
        assertThat(SessionSettings.defaults().sessionCookieName()).isEqualTo("doorman_session");
    }
}
