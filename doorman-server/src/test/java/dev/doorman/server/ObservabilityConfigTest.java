package dev.doorman.server;

import dev.doorman.metrics.MetricsSettings.Exposure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The metrics, audit-retention and breached-password keys: defaults, validation, and production's refusal of public metrics. */
class ObservabilityConfigTest {
    @TempDir
    Path dir;

    private static Map<String, String> secureProduction() {
        var env = new HashMap<String, String>();
        env.put("DOORMAN_MODE", "production");
        env.put("DOORMAN_BASE_URL", "https://login.example.org");
        env.put("DOORMAN_SMTP_HOST", "smtp.example.org");
        env.put("DOORMAN_KEY_ENCRYPTION_KEY", ServerConfigTest.KEK);
        return env;
    }

    @Test
    void loadWhenNothingGivenThenMetricsOpenInDevOffInProductionAndAuditKeptForever() {
        var dev = ServerConfig.load(Optional.empty(), Map.of());
        var production = ServerConfig.load(Optional.empty(), secureProduction());

        assertThat(dev.doorman().observability().metrics().exposure()).isEqualTo(Exposure.OPEN);
        assertThat(production.doorman().observability().metrics().exposure()).isEqualTo(Exposure.OFF);
        assertThat(production.doorman().insecureForProduction()).isEmpty();
        assertThat(dev.doorman().observability().auditRetention()).isEmpty();
        assertThat(dev.doorman().password().breached().corpus()).isEmpty();
    }

    @Test
    void loadWhenProductionExposesMetricsOpenlyThenRefusedNamingTheFix() {
        var env = secureProduction();
        env.put("DOORMAN_METRICS_EXPOSURE", "open");

        assertThat(ServerConfig.load(Optional.empty(), env).doorman().insecureForProduction()).singleElement()
                .satisfies(p -> assertThat(p).startsWith("/metrics would be served to anyone: set metrics.exposure (DOORMAN_METRICS_EXPOSURE) to token"));
    }

    @Test
    void serveWhenProductionExposesMetricsOpenlyThenExit2BeforeListening() {
        var cli = new Cli(dir.resolve("data"));
        secureProduction().forEach(cli::env);
        cli.env("DOORMAN_METRICS_EXPOSURE", "open").env("DOORMAN_HTTP_PORT", "1");

        var serve = cli.run("serve");

        assertThat(serve.exitCode()).isEqualTo(2);
        assertThat(serve.err()).contains("refusing to start in production mode").contains("/metrics would be served to anyone");
        assertThat(cli.shutdownHooks).isEmpty();
    }

    @Test
    void loadWhenProductionPutsMetricsBehindATokenOrOnAPortThenAccepted() {
        var token = secureProduction();
        token.put("DOORMAN_METRICS_EXPOSURE", "token");
        token.put("DOORMAN_METRICS_TOKEN", "0123456789abcdef0123456789abcdef");
        var port = secureProduction();
        port.put("DOORMAN_METRICS_EXPOSURE", "port");

        var byToken = ServerConfig.load(Optional.empty(), token).doorman();
        var byPort = ServerConfig.load(Optional.empty(), port).doorman();

        assertThat(byToken.insecureForProduction()).isEmpty();
        assertThat(byToken.observability().metrics().exposure()).isEqualTo(Exposure.BEARER_TOKEN);
        assertThat(byPort.insecureForProduction()).isEmpty();
        assertThat(byPort.observability().metrics().managementHost()).isEqualTo("127.0.0.1");
        assertThat(byPort.observability().metrics().managementPort()).isEqualTo(9090);
    }

    @Test
    void loadWhenTokenExposureHasNoOrAShortTokenThenErrorNamesTheKeyWithoutShowingIt() {
        assertThatThrownBy(() -> ServerConfig.load(Optional.empty(), Map.of("DOORMAN_METRICS_EXPOSURE", "token")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("metrics.token").hasMessageContaining("at least 32 characters");
        assertThatThrownBy(() -> ServerConfig.load(Optional.empty(), Map.of("DOORMAN_METRICS_EXPOSURE", "token", "DOORMAN_METRICS_TOKEN", "s3cr3t-short")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("DOORMAN_METRICS_TOKEN").hasMessageNotContaining("s3cr3t-short");
    }

    @Test
    void loadWhenExposureIsUnknownThenErrorListsTheChoices() {
        assertThatThrownBy(() -> ServerConfig.load(Optional.empty(), Map.of("DOORMAN_METRICS_EXPOSURE", "public")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("DOORMAN_METRICS_EXPOSURE").hasMessageContaining("\"public\" is not one of");
    }

    @Test
    void loadWhenAuditRetentionIsShorterThanAWeekThenErrorNamesIt() {
        assertThatThrownBy(() -> ServerConfig.load(Optional.empty(), Map.of("DOORMAN_AUDIT_RETENTION", "1d")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("DOORMAN_AUDIT_RETENTION").hasMessageContaining("at least 7 days");
        assertThat(ServerConfig.load(Optional.empty(), Map.of("DOORMAN_AUDIT_RETENTION", "90d")).doorman().observability().auditRetention())
                .contains(Duration.ofDays(90));
    }

    @Test
    void loadWhenBreachedCorpusIsMissingThenErrorNamesTheVariableAndDirectory() throws IOException {
        assertThatThrownBy(() -> ServerConfig.load(Optional.empty(), Map.of("DOORMAN_BREACHED_PASSWORDS", dir.resolve("nowhere").toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("DOORMAN_BREACHED_PASSWORDS").hasMessageContaining("not a readable directory");
        Files.writeString(dir.resolve("doorman.yml"), "password: { breachedCorpus: " + dir + ", breachedCheckAtLogin: true }\n");
        var config = ServerConfig.load(Optional.of(dir.resolve("doorman.yml")), Map.of());
        assertThat(config.doorman().password().breached().corpus()).contains(dir);
        assertThat(config.doorman().password().breached().atLogin()).isTrue();
    }

    @Test
    void loadWhenCheckAtLoginWithoutCorpusThenError() throws IOException {
        Files.writeString(dir.resolve("doorman.yml"), "password: { breachedCheckAtLogin: true }\n");
        assertThatThrownBy(() -> ServerConfig.load(Optional.of(dir.resolve("doorman.yml")), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("needs a corpus directory");
    }
}
