package dev.doorman.server;

import com.nimbusds.jose.JWSAlgorithm;
import dev.doorman.DoormanSettings.Mode;
import dev.doorman.db.Dialect;
import dev.doorman.mail.MailSettings.Tls;
import dev.doorman.session.SessionSettings.SameSite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ServerConfigTest {
    @TempDir
    Path dir;

    private ServerConfig load(String yaml, Map<String, String> env) throws IOException {
        Path file = dir.resolve("doorman.yml");
        Files.writeString(file, yaml);
        return ServerConfig.load(Optional.of(file), env);
    }

    private ConfigException error(String yaml, Map<String, String> env) {
        return catchThrowableOfType(ConfigException.class, () -> load(yaml, env));
    }

    static final String KEK = "q2E9XsS8oOTvM3C1Kx7m0g5NnUe6lP4bYw1zRjAhcDI=";

    /** Settings that pass the production check, for tests that change one of them. */
    private static Map<String, String> secureProduction() {
        var env = new HashMap<String, String>();
        env.put("DOORMAN_MODE", "production");
        env.put("DOORMAN_BASE_URL", "https://login.example.org");
        env.put("DOORMAN_SMTP_HOST", "smtp.example.org");
        env.put("DOORMAN_KEY_ENCRYPTION_KEY", KEK);
        return env;
    }

    @Test
    void loadWhenNothingGivenThenDevDefaults() {
        var config = ServerConfig.load(Optional.empty(), Map.of());

        assertThat(config.doorman().mode()).isEqualTo(Mode.DEV);
        assertThat(config.http()).isEqualTo(new ServerConfig.Http("127.0.0.1", 8080));
        assertThat(config.doorman().baseUrl()).isEqualTo(URI.create("http://localhost:8080"));
        assertThat(config.database().dialect()).isEqualTo(Dialect.SQLITE);
        assertThat(config.database().dataDir()).isEqualTo(Path.of("data"));
        assertThat(config.databaseDescription()).endsWith(Path.of("data", "doorman.db").toString()).startsWith("SQLite at /");
        assertThat(config.doorman().mail().smtp()).isEmpty();
        assertThat(config.doorman().session().secureCookie()).isTrue();
        assertThat(config.doorman().session().hostPrefix()).isFalse();
        assertThat(config.doorman().maxRequestBytes()).isEqualTo(64 * 1024);
        assertThat(config.doorman().insecureForProduction()).isEmpty();
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void loadWhenProductionThenBindsEveryInterfaceAndHostPrefixIsOn() {
        var config = ServerConfig.load(Optional.empty(), secureProduction());

        assertThat(config.doorman().production()).isTrue();
        assertThat(config.http().host()).isEqualTo("0.0.0.0");
        assertThat(config.doorman().session().hostPrefix()).isTrue();
        assertThat(config.doorman().insecureForProduction()).isEmpty();
    }

    @Test
    void loadWhenFileGivesEveryKeyThenEachIsRead() throws IOException {
        var config = load("""
                mode: dev
                http: { host: 0.0.0.0, port: 9090, maxRequestBytes: 32768 }
                baseUrl: https://login.example.org/
                dataDir: /var/lib/doorman
                db: { url: "jdbc:postgresql://db.internal:5432/doorman", user: doorman, password: "s3cret" }
                smtp: { host: smtp.example.org, port: 2525, username: mailer, password: "hunter22", tls: tls, from: "Login <login@example.org>" }
                session: { idleTimeout: 45m, absoluteTimeout: 2d, sameSite: strict, secureCookie: true, hostPrefix: true }
                password: { minLength: 16, maxLength: 128, argon2: { memoryKib: 65536, iterations: 4, parallelism: 2 }, contextWords: [acme, login] }
                accounts: { requireVerifiedEmail: false, verificationTtl: PT48H, resetTtl: 900s }
                """, Map.of());

        assertThat(config.http()).isEqualTo(new ServerConfig.Http("0.0.0.0", 9090));
        assertThat(config.doorman().maxRequestBytes()).isEqualTo(32768);
        assertThat(config.doorman().baseUrl()).isEqualTo(URI.create("https://login.example.org"));
        assertThat(config.database().url()).contains("jdbc:postgresql://db.internal:5432/doorman");
        assertThat(config.database().user()).contains("doorman");
        assertThat(config.database().password()).contains("s3cret");
        assertThat(config.database().dataDir()).isEqualTo(Path.of("/var/lib/doorman"));
        assertThat(config.databaseDescription()).isEqualTo("PostgreSQL at jdbc:postgresql://db.internal:5432/doorman");
        var smtp = config.doorman().mail().smtp().orElseThrow();
        assertThat(smtp.host()).isEqualTo("smtp.example.org");
        assertThat(smtp.port()).isEqualTo(2525);
        assertThat(smtp.username()).contains("mailer");
        assertThat(smtp.password()).contains("hunter22");
        assertThat(smtp.tls()).isEqualTo(Tls.TLS);
        assertThat(config.doorman().mail().from()).isEqualTo("Login <login@example.org>");
        var session = config.doorman().session();
        assertThat(session.idleTimeout()).isEqualTo(Duration.ofMinutes(45));
        assertThat(session.absoluteTimeout()).isEqualTo(Duration.ofDays(2));
        assertThat(session.sameSite()).isEqualTo(SameSite.STRICT);
        assertThat(session.hostPrefix()).isTrue();
        var password = config.doorman().password();
        assertThat(password.minLength()).isEqualTo(16);
        assertThat(password.maxLength()).isEqualTo(128);
        assertThat(password.argon2().memoryKib()).isEqualTo(65536);
        assertThat(password.argon2().iterations()).isEqualTo(4);
        assertThat(password.argon2().parallelism()).isEqualTo(2);
        assertThat(password.contextWords()).containsExactly("acme", "login");
        var accounts = config.doorman().accounts();
        assertThat(accounts.requireVerifiedEmail()).isFalse();
        assertThat(accounts.verificationTtl()).isEqualTo(Duration.ofHours(48));
        assertThat(accounts.resetTtl()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void loadWhenEveryEnvironmentVariableSetThenEachOverridesItsKey() throws IOException {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), "version: 1\nroles: {viewer: {permissions: [note:read]}}\n");
        var env = Map.ofEntries(
                Map.entry("DOORMAN_POLICY_FILE", policy.toString()),
                Map.entry("DOORMAN_MODE", "production"),
                Map.entry("DOORMAN_HTTP_HOST", "10.0.0.5"),
                Map.entry("DOORMAN_HTTP_PORT", "8443"),
                Map.entry("DOORMAN_BASE_URL", "https://id.example.com"),
                Map.entry("DOORMAN_DATA_DIR", "/srv/doorman"),
                Map.entry("DOORMAN_DB_URL", "jdbc:postgresql://pg/doorman?ssl=true"),
                Map.entry("DOORMAN_DB_USER", "env-user"),
                Map.entry("DOORMAN_DB_PASSWORD", "env-password"),
                Map.entry("DOORMAN_SMTP_HOST", "mail.example.com"),
                Map.entry("DOORMAN_SMTP_PORT", "465"),
                Map.entry("DOORMAN_SMTP_USERNAME", "env-mailer"),
                Map.entry("DOORMAN_SMTP_PASSWORD", "env-mail-password"),
                Map.entry("DOORMAN_SMTP_TLS", "tls"),
                Map.entry("DOORMAN_SMTP_FROM", "Id <id@example.com>"),
                Map.entry("DOORMAN_SIGNING_ALG", "eddsa"),
                Map.entry("DOORMAN_KEY_ENCRYPTION_KEY", KEK),
                Map.entry("DOORMAN_BREACHED_PASSWORDS", dir.toString()),
                Map.entry("DOORMAN_METRICS_EXPOSURE", "port"),
                Map.entry("DOORMAN_METRICS_TOKEN", "an-unused-token-for-the-port-exposure"),
                Map.entry("DOORMAN_METRICS_HOST", "10.0.0.9"),
                Map.entry("DOORMAN_METRICS_PORT", "9191"),
                Map.entry("DOORMAN_AUDIT_RETENTION", "400d"));

        var config = load("""
                mode: dev
                http: { host: 127.0.0.1, port: 8080 }
                baseUrl: http://localhost:8080
                dataDir: ./data
                db: { url: "", user: file-user, password: file-password }
                smtp: { host: file.example.org, port: 25, username: a, password: b, tls: none, from: "File <file@example.org>" }
                """, env);

        // The rate-limit variables have their own test (GuardConfigTest).
        assertThat(ServerConfig.ENVIRONMENT_VARIABLES).filteredOn(v -> !GuardConfigTest.isGuardVariable(v))
                .containsExactlyInAnyOrderElementsOf(env.keySet());
        assertThat(config.doorman().mode()).isEqualTo(Mode.PRODUCTION);
        assertThat(config.http()).isEqualTo(new ServerConfig.Http("10.0.0.5", 8443));
        assertThat(config.doorman().baseUrl()).isEqualTo(URI.create("https://id.example.com"));
        assertThat(config.database().dataDir()).isEqualTo(Path.of("/srv/doorman"));
        assertThat(config.database().url()).contains("jdbc:postgresql://pg/doorman?ssl=true");
        assertThat(config.database().user()).contains("env-user");
        assertThat(config.database().password()).contains("env-password");
        assertThat(config.databaseDescription()).isEqualTo("PostgreSQL at jdbc:postgresql://pg/doorman");
        var smtp = config.doorman().mail().smtp().orElseThrow();
        assertThat(smtp.host()).isEqualTo("mail.example.com");
        assertThat(smtp.port()).isEqualTo(465);
        assertThat(smtp.username()).contains("env-mailer");
        assertThat(smtp.password()).contains("env-mail-password");
        assertThat(smtp.tls()).isEqualTo(Tls.TLS);
        assertThat(config.doorman().mail().from()).isEqualTo("Id <id@example.com>");
        assertThat(config.doorman().oauth2().signingAlgorithm()).isEqualTo(JWSAlgorithm.EdDSA);
        assertThat(config.doorman().oauth2().keyEncryptionKey()).contains(KEK);
        assertThat(config.doorman().password().breached().corpus()).contains(dir);
        assertThat(config.doorman().observability().metrics()).isEqualTo(new dev.doorman.metrics.MetricsSettings(
                dev.doorman.metrics.MetricsSettings.Exposure.MANAGEMENT_PORT, Optional.of("an-unused-token-for-the-port-exposure"), "10.0.0.9", 9191));
        assertThat(config.doorman().observability().auditRetention()).contains(Duration.ofDays(400));
        assertThat(config.doorman().insecureForProduction()).isEmpty();
        assertThat(config.policy()).get().satisfies(p -> assertThat(p.roles()).containsOnlyKeys("viewer"));
    }

    @Test
    void loadWhenNoPolicyFileThenNoPolicy() throws IOException {
        assertThat(load("", Map.of()).policy()).isEmpty();
    }

    @Test
    void loadWhenPolicyFileValidThenLoadedWithItsRoles() throws IOException {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), "version: 1\nroles:\n  admin: {permissions: [\"*\"]}\n");
        var config = load("authz: { policyFile: " + policy + " }\n", Map.of());
        assertThat(config.policy()).get().satisfies(p -> assertThat(p.definesRole("admin")).isTrue());
    }

    @Test
    void loadWhenPolicyFileInvalidThenStartErrorListsEachProblemWithItsLine() throws IOException {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), """
                version: 1
                roles:
                  a: {inherits: [b]}
                  b: {inherits: [a], permissons: []}
                rules:
                  - {name: r, effect: allow, actions: [note:read], condition: "resource.ownerId =="}
                """);
        var e = error("authz: { policyFile: " + policy + " }\n", Map.of());
        assertThat(e).isNotNull();
        assertThat(e.problems()).singleElement().asString()
                .startsWith("authz.policyFile: invalid policy " + policy + ":")
                .contains("line 4:22: unknown key 'permissons' in role 'b'")
                .containsPattern("line \\d:\\d+: role inheritance cycle")
                .contains("line 6:")
                .contains("the condition of rule 'r' does not compile");
    }

    @Test
    void loadWhenPolicyFileMissingThenErrorNamesTheVariable() {
        var e = catchThrowableOfType(ConfigException.class,
                () -> ServerConfig.load(Optional.empty(), Map.of("DOORMAN_POLICY_FILE", dir.resolve("none.yaml").toString())));
        assertThat(e.problems()).containsExactly("DOORMAN_POLICY_FILE: policy file " + dir.resolve("none.yaml") + " not found");
    }

    @Test
    void loadWhenFileAndEnvironmentDisagreeThenEnvironmentWinsAndFileFillsTheRest() throws IOException {
        var config = load("http: { port: 9000, host: 0.0.0.0 }\nsession: { idleTimeout: 10m }\n", Map.of("DOORMAN_HTTP_PORT", "9100"));

        assertThat(config.http()).isEqualTo(new ServerConfig.Http("0.0.0.0", 9100));
        assertThat(config.doorman().baseUrl()).isEqualTo(URI.create("http://localhost:9100"));
        assertThat(config.doorman().session().idleTimeout()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void loadWhenEnvironmentVariableIsEmptyThenFileValueStands() throws IOException {
        var config = load("http: { port: 9000 }\n", Map.of("DOORMAN_HTTP_PORT", "", "DOORMAN_DB_URL", ""));

        assertThat(config.http().port()).isEqualTo(9000);
        assertThat(config.database().dialect()).isEqualTo(Dialect.SQLITE);
    }

    @Test
    void loadWhenDurationsInEveryFormThenParsed() {
        assertThat(ConfigReader.parseDuration("30m")).contains(Duration.ofMinutes(30));
        assertThat(ConfigReader.parseDuration("12h")).contains(Duration.ofHours(12));
        assertThat(ConfigReader.parseDuration("45s")).contains(Duration.ofSeconds(45));
        assertThat(ConfigReader.parseDuration("500ms")).contains(Duration.ofMillis(500));
        assertThat(ConfigReader.parseDuration("2d")).contains(Duration.ofDays(2));
        assertThat(ConfigReader.parseDuration("PT30M")).contains(Duration.ofMinutes(30));
        assertThat(ConfigReader.parseDuration("abc")).isEmpty();
        assertThat(ConfigReader.parseDuration("30")).isEmpty();
        assertThat(ConfigReader.parseDuration("30 minutes")).isEmpty();
    }

    @Test
    void loadWhenMfaKeysGivenThenRolesReauthWindowAndPasskeyRelyingPartyAreRead() throws IOException {
        var config = load("""
                baseUrl: https://login.example.org
                mfa:
                  issuer: Example
                  requiredForRoles: [admin, operator]
                  reauthWindow: 5m
                  webauthn:
                    rpId: example.org
                    origins: [https://login.example.org, https://app.example.org]
                """, Map.of());
        var mfa = config.doorman().mfa();
        assertThat(mfa.issuer()).isEqualTo("Example");
        assertThat(mfa.requiredForRoles()).containsExactlyInAnyOrder("admin", "operator");
        assertThat(mfa.reauthWindow()).isEqualTo(java.time.Duration.ofMinutes(5));
        assertThat(mfa.rpId()).hasValue("example.org");
        assertThat(mfa.origins()).extracting(Object::toString).containsExactly("https://login.example.org", "https://app.example.org");
    }

    @Test
    void loadWhenPasskeyRelyingPartyIsNotTheBaseUrlsDomainOrAnOriginHasAPathThenRefused() {
        assertThat(error("baseUrl: https://login.example.org\nmfa: { webauthn: { rpId: evil.example } }\n", Map.of()).getMessage())
                .contains("rpId 'evil.example'");
        assertThat(error("mfa: { webauthn: { origins: [\"https://app.example.org/login\"] } }\n", Map.of()).getMessage())
                .contains("scheme://host[:port]");
    }

    @Test
    void loadWhenDurationMalformedThenErrorNamesTheKey() {
        assertThat(error("session: { idleTimeout: abc }\n", Map.of()))
                .hasMessage("session.idleTimeout: \"abc\" is not a duration (use 30m, 12h or PT30M)");
        assertThat(error("accounts: { resetTtl: 30 }\n", Map.of()))
                .hasMessage("accounts.resetTtl: 30 is not a duration (use 30m, 12h or PT30M)");
    }

    @Test
    void loadWhenPortVariableMalformedThenErrorNamesTheVariable() {
        assertThatThrownBy(() -> ServerConfig.load(Optional.empty(), Map.of("DOORMAN_HTTP_PORT", "x")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("DOORMAN_HTTP_PORT: \"x\" is not a port number (1-65535)");
        assertThatThrownBy(() -> ServerConfig.load(Optional.empty(), Map.of("DOORMAN_SMTP_PORT", "70000", "DOORMAN_SMTP_HOST", "smtp.example.org")))
                .hasMessage("DOORMAN_SMTP_PORT: \"70000\" is not a port number (1-65535)");
    }

    @Test
    void loadWhenChoiceUnknownThenErrorListsTheChoices() {
        assertThatThrownBy(() -> ServerConfig.load(Optional.empty(), Map.of("DOORMAN_MODE", "prod")))
                .hasMessage("DOORMAN_MODE: \"prod\" is not one of dev, production");
        assertThatThrownBy(() -> ServerConfig.load(Optional.empty(), Map.of("DOORMAN_SMTP_TLS", "ssl")))
                .hasMessage("DOORMAN_SMTP_TLS: \"ssl\" is not one of none, starttls, tls");
        assertThat(error("session: { sameSite: none }\n", Map.of())).hasMessage("session.sameSite: \"none\" is not one of lax, strict");
    }

    @Test
    void loadWhenKeyUnknownThenErrorNamesItAndSuggestsTheNearestKey() {
        assertThat(error("http: { prot: 8080 }\n", Map.of())).hasMessage("http.prot: unknown key (did you mean http.port?)");
        assertThat(error("sesion: {}\n", Map.of())).hasMessage("sesion: unknown key (did you mean session?)");
        assertThat(error("smtp: { starttls: true }\n", Map.of()))
                .hasMessage("smtp.starttls: unknown key (known keys in smtp: from, host, password, port, tls, username)");
    }

    @Test
    void loadWhenValueHasWrongTypeThenErrorNamesKeyAndNeverShowsSecrets() {
        assertThat(error("http: 8080\n", Map.of())).hasMessage("http: expected a mapping of host, maxRequestBytes, port, got a number");
        assertThat(error("session: { secureCookie: \"yes\" }\n", Map.of())).hasMessage("session.secureCookie: \"yes\" is not true or false");
        assertThat(error("http: { port: \"eighty\" }\n", Map.of())).hasMessage("http.port: \"eighty\" is not a port number (1-65535)");
        assertThat(error("password: { contextWords: acme }\n", Map.of())).hasMessage("password.contextWords: expected a list of strings, got a string");
        var secret = error("db: { password: 12345 }\n", Map.of());
        assertThat(secret).hasMessage("db.password: expected a string, got a number (put the value in quotes)");
        assertThat(secret.getMessage()).doesNotContain("12345");
    }

    @Test
    void loadWhenSettingsRecordRejectsValuesThenErrorNamesTheSection() {
        assertThat(error("session: { idleTimeout: 2h, absoluteTimeout: 1h }\n", Map.of()))
                .hasMessage("session: session absolute timeout must not be shorter than the idle timeout");
        assertThat(error("session: { secureCookie: false, hostPrefix: true }\n", Map.of()))
                .hasMessage("session: the __Host- cookie prefix requires secure cookies");
        assertThat(error("password: { argon2: { memoryKib: 1024 } }\n", Map.of()))
                .hasMessage("password.argon2: argon2 memory must be at least 19456 KiB (OWASP minimum)");
        assertThat(error("password: { minLength: 4 }\n", Map.of())).hasMessage("password: password minimum length must be at least 8");
        assertThat(error("accounts: { resetTtl: 2h }\n", Map.of())).hasMessage("accounts: reset TTL must be at most 1 hour");
        assertThat(error("http: { maxRequestBytes: 10 }\n", Map.of()))
                .hasMessage("http.maxRequestBytes: max request size must be at least 1024 bytes");
        assertThat(error("smtp: { host: smtp.example.org, username: mailer }\n", Map.of()))
                .hasMessage("smtp: SMTP username and password go together");
        assertThat(error("smtp: { from: \"not an address\" }\n", Map.of())).hasMessageStartingWith("smtp.from: the mail sender address 'not an address'");
    }

    @Test
    void loadWhenUrlsInvalidThenErrorNamesKeyOrVariable() {
        assertThatThrownBy(() -> ServerConfig.load(Optional.empty(), Map.of("DOORMAN_BASE_URL", "https://example.org/login")))
                .hasMessage("DOORMAN_BASE_URL: base URL must be an origin without a path (serve Doorman at the root of its host)");
        assertThatThrownBy(() -> ServerConfig.load(Optional.empty(), Map.of("DOORMAN_BASE_URL", "login.example.org")))
                .hasMessageStartingWith("DOORMAN_BASE_URL: base URL must be an absolute http(s) URL");
        assertThatThrownBy(() -> ServerConfig.load(Optional.empty(), Map.of("DOORMAN_DB_URL", "jdbc:mysql://db/doorman")))
                .hasMessageStartingWith("DOORMAN_DB_URL: unsupported database URL 'jdbc:mysql://db/doorman'");
    }

    @Test
    void loadWhenSeveralProblemsThenAllAreReportedTogether() {
        var e = catchThrowableOfType(ConfigException.class, () -> ServerConfig.load(Optional.empty(),
                Map.of("DOORMAN_HTTP_PORT", "x", "DOORMAN_MODE", "staging", "DOORMAN_SMTP_TLS", "ssl")));

        assertThat(e.problems()).containsExactly(
                "DOORMAN_MODE: \"staging\" is not one of dev, production",
                "DOORMAN_HTTP_PORT: \"x\" is not a port number (1-65535)",
                "DOORMAN_SMTP_TLS: \"ssl\" is not one of none, starttls, tls");
        assertThat(e).hasMessageStartingWith("3 configuration problems:");
    }

    @Test
    void loadWhenFileMissingOrNotYamlThenErrorNamesTheFile() throws IOException {
        Path missing = dir.resolve("nope.yml");
        assertThatThrownBy(() -> ServerConfig.load(Optional.of(missing), Map.of()))
                .hasMessage("config file " + missing + ": not found");
        assertThat(error("http: { port: 8080\n", Map.of())).hasMessageContaining("not valid YAML");
        assertThat(error("- a\n- b\n", Map.of())).hasMessageEndingWith("expected a mapping of settings (mode, http, baseUrl, …) at the top level");
        assertThat(error("mode: dev\nmode: production\n", Map.of())).hasMessageContaining("Duplicate field 'mode'");
        assertThat(load("", Map.of()).http().port()).isEqualTo(8080);
    }

    @Test
    void loadWhenProductionBaseUrlIsHttpThenRefusalSaysToSetHttps() {
        var env = secureProduction();
        env.put("DOORMAN_BASE_URL", "http://login.example.org");

        assertThat(ServerConfig.load(Optional.empty(), env).doorman().insecureForProduction())
                .containsExactly("base URL 'http://login.example.org' is not https: set DOORMAN_BASE_URL to the public https:// URL");
    }

    @Test
    void loadWhenProductionHasNoSmtpThenRefusalSaysToSetIt() {
        var env = secureProduction();
        env.remove("DOORMAN_SMTP_HOST");

        assertThat(ServerConfig.load(Optional.empty(), env).doorman().insecureForProduction())
                .containsExactly("no SMTP server is configured: set DOORMAN_SMTP_HOST (and port, credentials, TLS)");
    }

    @Test
    void loadWhenProductionSecureCookiesOffThenRefusalNamesCookiesAndPrefix() throws IOException {
        var problems = load("session: { secureCookie: false }\n", secureProduction()).doorman().insecureForProduction();

        assertThat(problems).containsExactly(
                "secure cookies are off: set session.secureCookie to true",
                "the __Host- cookie prefix is off: set session.hostPrefix to true");
    }

    @Test
    void loadWhenProductionHasNoKeyEncryptionKeyThenRefusalSaysToSetIt() {
        var env = secureProduction();
        env.remove("DOORMAN_KEY_ENCRYPTION_KEY");

        assertThat(ServerConfig.load(Optional.empty(), env).doorman().insecureForProduction()).singleElement()
                .satisfies(p -> assertThat(p).startsWith("no key-encryption key for the token signing keys: set DOORMAN_KEY_ENCRYPTION_KEY"));
    }

    @Test
    void loadWhenOauth2SectionGivesEveryKeyThenEachIsRead() throws IOException {
        var config = load("""
                oauth2:
                  signingAlgorithm: ES256
                  accessTokenTtl: 10m
                  codeTtl: 30s
                  refreshTokenIdleTtl: 7d
                  refreshTokenAbsoluteTtl: 60d
                  keyRotation: 30d
                  keyEncryptionKey: "%s"
                """.formatted(KEK), Map.of());

        var oauth2 = config.doorman().oauth2();
        assertThat(oauth2.signingAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(oauth2.accessTokenTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(oauth2.codeTtl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(oauth2.refreshTokenIdleTtl()).isEqualTo(Duration.ofDays(7));
        assertThat(oauth2.refreshTokenAbsoluteTtl()).isEqualTo(Duration.ofDays(60));
        assertThat(oauth2.keyRotation()).contains(Duration.ofDays(30));
        assertThat(oauth2.keyEncryptionKey()).contains(KEK);
    }

    @Test
    void loadWhenOauth2NotGivenThenRs256AndNoRotationAndNoKeyEncryptionKey() {
        var oauth2 = ServerConfig.load(Optional.empty(), Map.of()).doorman().oauth2();

        assertThat(oauth2.signingAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(oauth2.accessTokenTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(oauth2.keyRotation()).isEmpty();
        assertThat(oauth2.keyEncryptionKey()).isEmpty();
    }

    @Test
    void loadWhenSigningAlgorithmVariableSetThenItWinsOverTheFileAndAnyCaseIsAccepted() throws IOException {
        var config = load("oauth2: { signingAlgorithm: RS256 }\n", Map.of("DOORMAN_SIGNING_ALG", "ps256"));

        assertThat(config.doorman().oauth2().signingAlgorithm()).isEqualTo(JWSAlgorithm.PS256);
    }

    @Test
    void loadWhenSigningAlgorithmUnsupportedThenErrorNamesKeyOrVariableAndListsTheChoices() {
        assertThat(error("oauth2: { signingAlgorithm: HS256 }\n", Map.of()))
                .hasMessage("oauth2.signingAlgorithm: \"HS256\" is not one of EdDSA, ES256, PS256, RS256");
        assertThatThrownBy(() -> ServerConfig.load(Optional.empty(), Map.of("DOORMAN_SIGNING_ALG", "none")))
                .hasMessage("DOORMAN_SIGNING_ALG: \"none\" is not one of EdDSA, ES256, PS256, RS256");
    }

    @Test
    void loadWhenKeyEncryptionKeyMalformedThenErrorNamesItButNeverShowsIt() {
        String short16 = java.util.Base64.getEncoder().encodeToString("sixteen byte key".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        var fromEnv = catchThrowableOfType(ConfigException.class,
                () -> ServerConfig.load(Optional.empty(), Map.of("DOORMAN_KEY_ENCRYPTION_KEY", short16)));
        var fromFile = error("oauth2: { keyEncryptionKey: \"not base64!!\" }\n", Map.of());
        var number = error("oauth2: { keyEncryptionKey: 12345 }\n", Map.of());

        assertThat(fromEnv).hasMessageStartingWith("DOORMAN_KEY_ENCRYPTION_KEY: the key-encryption key must be 32 bytes (256 bits), got 16")
                .hasMessageNotContaining(short16);
        assertThat(fromFile).hasMessageStartingWith("oauth2.keyEncryptionKey: the key-encryption key is not base64")
                .hasMessageNotContaining("not base64!!");
        assertThat(number).hasMessage("oauth2.keyEncryptionKey: expected a string, got a number (put the value in quotes)");
        assertThat(fromEnv.problems()).hasSize(1);
    }

    @Test
    void loadWhenOauth2ValuesOutOfRangeThenErrorNamesTheKeyOrSection() {
        assertThat(error("oauth2: { keyRotation: 30m }\n", Map.of())).hasMessage("oauth2.keyRotation: key rotation interval must be at least 1 hour");
        assertThat(error("oauth2: { keyRotation: soon }\n", Map.of()))
                .hasMessage("oauth2.keyRotation: \"soon\" is not a duration (use 30m, 12h or PT30M)");
        assertThat(error("oauth2: { accessTokenTtl: 2h }\n", Map.of()))
                .hasMessage("oauth2: access token lifetime must be positive and at most 1 hour");
        assertThat(error("oauth2: { signingAlgoritm: RS256 }\n", Map.of()))
                .hasMessage("oauth2.signingAlgoritm: unknown key (did you mean oauth2.signingAlgorithm?)");
    }

    @Test
    void loadWhenSmtpSettingsWithoutHostOrUnknownVariableThenWarns() {
        var config = ServerConfig.load(Optional.empty(), Map.of("DOORMAN_SMTP_USERNAME", "mailer", "DOORMAN_SMTP_PASS", "x", "DOORMAN_DEBUG", "1"));

        assertThat(config.warnings()).containsExactly(
                "DOORMAN_SMTP_USERNAME is ignored: there is no smtp.host (DOORMAN_SMTP_HOST), so mail goes to the dev outbox",
                "environment variable DOORMAN_SMTP_PASS is not one Doorman reads (known: " + String.join(", ", ServerConfig.ENVIRONMENT_VARIABLES) + ")");
    }

    @Test
    void loadWhenSmtpTlsIsImplicitThenPortDefaultsTo465() {
        var config = ServerConfig.load(Optional.empty(), Map.of("DOORMAN_SMTP_HOST", "smtp.example.org", "DOORMAN_SMTP_TLS", "tls"));

        assertThat(config.doorman().mail().smtp().orElseThrow().port()).isEqualTo(465);
        assertThat(config.doorman().mail().from()).isEqualTo("Doorman <no-reply@localhost>");
        assertThat(List.of(config.doorman().mail().smtp().orElseThrow().tls())).containsExactly(Tls.TLS);
    }
}
