package dev.doorman.server;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.doorman.db.Database;
import dev.doorman.db.DbSettings;
import dev.doorman.support.Secrets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ClientCommandTest {
    static final Pattern SECRET_LINE = Pattern.compile("(?m)^client_secret: ([A-Za-z0-9_-]{43})$");
    static final String FILE_SECRET = "kO0v1fT2m3XcY8wq4ZrJ5bN6aL7pD9sE0uH1iG2jF3k";
    static final String FILE = """
            {"clients": [
              {"clientId": "s6BhdRkqt3", "clientSecret": "%s", "public": false, "redirectUris": ["https://client.example.org/cb"],
               "grantTypes": ["authorization_code", "refresh_token"], "scopes": ["openid", "profile"], "consentRequired": false},
              {"clientId": "com.example.app", "public": true, "redirectUris": ["com.example.app:/callback"], "consentRequired": true}
            ]}
            """.formatted(FILE_SECRET);

    @TempDir
    Path dir;

    private Cli cli() {
        return new Cli(dir.resolve("data"));
    }

    private static String secretIn(String output) {
        Matcher m = SECRET_LINE.matcher(output);
        assertThat(m.find()).as("a client_secret line in:\n" + output).isTrue();
        return m.group(1);
    }

    private Map<String, Object> row(String clientId) {
        try (var db = Database.open(DbSettings.embedded(dir.resolve("data")))) {
            return db.jdbi().withHandle(h -> h.createQuery("select * from clients where client_id = :id").bind("id", clientId).mapToMap().one());
        }
    }

    @Test
    void clientCreateWhenConfidentialThenSecretPrintedOnceWithWarningAndOnlyItsHashStored() {
        var cli = cli();

        var created = cli.run("client", "create", "--id", "s6BhdRkqt3", "--name", "Example web app",
                "--redirect-uri", "https://client.example.org/cb", "--scope", "openid", "--scope", "profile", "--no-consent");
        var list = cli.run("client", "list");

        assertThat(created.exitCode()).isZero();
        assertThat(created.out()).startsWith("created client s6BhdRkqt3 (confidential, client_secret_basic, grants [authorization_code, refresh_token])\n")
                .contains("This secret is shown only now: Doorman keeps only its hash.")
                .contains("doorman client rotate-secret --id s6BhdRkqt3");
        String secret = secretIn(created.out());
        assertThat(Base64.getUrlDecoder().decode(secret)).hasSize(32);
        assertThat(row("s6BhdRkqt3").get("secret_hash")).isEqualTo(Secrets.hash(secret));
        assertThat(list.exitCode()).isZero();
        var lines = list.out().lines().toList();
        assertThat(lines.get(0)).matches("CLIENT_ID +NAME +TYPE +AUTH_METHOD +GRANTS +SCOPES +CONSENT +REDIRECT_URIS");
        assertThat(lines.get(1)).matches("s6BhdRkqt3 +Example web app +confidential +client_secret_basic +authorization_code,refresh_token "
                + "+openid,profile +no +https://client\\.example\\.org/cb");
        assertThat(list.out() + list.err()).doesNotContain(secret);
    }

    @Test
    void clientCreateWhenPublicThenNoSecretPrinted() {
        var created = cli().run("client", "create", "--id", "com.example.app", "--name", "Native app", "--public",
                "--redirect-uri", "com.example.app:/callback", "--redirect-uri", "http://127.0.0.1/callback");

        assertThat(created.exitCode()).isZero();
        assertThat(created.out()).isEqualTo("created client com.example.app (public, none, grants [authorization_code, refresh_token])\n");
    }

    @Test
    void clientCreateWhenNoIdThenOneIsGenerated() {
        var created = cli().run("client", "create", "--name", "Billing job", "--grant", "client_credentials", "--audience", "https://api.example.org");

        assertThat(created.exitCode()).isZero();
        assertThat(created.out()).matches("(?s)created client [0-9a-f]{24} \\(confidential, client_secret_basic, grants \\[client_credentials]\\)\n.*");
    }

    @Test
    void clientCreateWhenPrivateKeyJwtWithJwksFileThenRegisteredWithoutSecret() throws Exception {
        var key = new RSAKeyGenerator(2048).keyID("k1").generate();
        Path jwks = Files.writeString(dir.resolve("jwks.json"), new JWKSet(key).toString(true));

        var created = cli().run("client", "create", "--id", "billing-job", "--name", "Billing job", "--grant", "client_credentials",
                "--auth-method", "private_key_jwt", "--jwks", jwks.toString());

        assertThat(created.exitCode()).isZero();
        assertThat(created.out()).isEqualTo("created client billing-job (confidential, private_key_jwt, grants [client_credentials])\n");
        assertThat((String) row("billing-job").get("jwks")).contains("\"kid\":\"k1\"");
    }

    @Test
    void clientCreateWhenRegistrationBreaksTheRulesThenExit1NamingEachOptionAndNothingCreated() {
        var cli = cli();

        var result = cli.run("client", "create", "--id", "3f2b8c1e-6d4a-4f7b-9c2e-1a5d7e9f0b3c", "--name", "Bad",
                "--redirect-uri", "http://localhost:8080/cb", "--redirect-uri", "javascript:alert(1)", "--grant", "password");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("doorman: client refused:\n")
                .contains("  - --id: \"3f2b8c1e-6d4a-4f7b-9c2e-1a5d7e9f0b3c\" looks like a UUID")
                .contains("  - --grant: \"password\" is not supported")
                .contains("  - --redirect-uri: \"http://localhost:8080/cb\" http://localhost is not allowed (RFC 8252 §8.3)")
                .contains("  - --redirect-uri: \"javascript:alert(1)\" the javascript: scheme is never allowed");
        assertThat(cli.run("client", "list").out()).isEqualTo("no clients\n");
    }

    @Test
    void clientCreateWhenIdTakenThenExit1() {
        var cli = cli();
        cli.run("client", "create", "--id", "s6BhdRkqt3", "--name", "A", "--redirect-uri", "https://client.example.org/cb");

        var again = cli.run("client", "create", "--id", "s6BhdRkqt3", "--name", "B", "--redirect-uri", "https://client.example.org/cb");

        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("doorman: a client with id s6BhdRkqt3 already exists\n");
    }

    @Test
    void clientCreateWhenNameMissingOrDurationMalformedThenUsageErrorExit2() {
        assertThat(cli().run("client", "create", "--id", "s6BhdRkqt3").exitCode()).isEqualTo(2);
        var badTtl = cli().run("client", "create", "--name", "A", "--grant", "client_credentials", "--access-token-ttl", "soon");
        assertThat(badTtl.exitCode()).isEqualTo(2);
        assertThat(badTtl.err()).contains("--access-token-ttl: \"soon\" is not a duration");
        assertThat(cli().run("client").exitCode()).isEqualTo(2);
    }

    @Test
    void clientRotateSecretWhenConfidentialThenNewSecretPrintedAndStoredHashChanges() {
        var cli = cli();
        String first = secretIn(cli.run("client", "create", "--id", "s6BhdRkqt3", "--name", "A",
                "--redirect-uri", "https://client.example.org/cb").out());

        var rotated = cli.run("client", "rotate-secret", "--id", "s6BhdRkqt3");

        assertThat(rotated.exitCode()).isZero();
        assertThat(rotated.out()).startsWith("rotated the secret of client s6BhdRkqt3; the old secret no longer works\n")
                .contains("This secret is shown only now");
        String second = secretIn(rotated.out());
        assertThat(second).isNotEqualTo(first);
        assertThat(row("s6BhdRkqt3").get("secret_hash")).isEqualTo(Secrets.hash(second));
    }

    @Test
    void clientRotateSecretWhenUnknownOrPublicThenExit1() {
        var cli = cli();
        cli.run("client", "create", "--id", "com.example.app", "--name", "App", "--public", "--redirect-uri", "com.example.app:/cb");

        var unknown = cli.run("client", "rotate-secret", "--id", "nobody");
        var publicClient = cli.run("client", "rotate-secret", "--id", "com.example.app");

        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("doorman: no client with id nobody\n");
        assertThat(publicClient.exitCode()).isEqualTo(1);
        assertThat(publicClient.err()).isEqualTo("doorman: client com.example.app has no secret to rotate: it is a public client\n");
    }

    @Test
    void clientDeleteWhenClientExistsThenGoneAndSecondDeleteExit1() {
        var cli = cli();
        cli.run("client", "create", "--id", "s6BhdRkqt3", "--name", "A", "--redirect-uri", "https://client.example.org/cb");

        var deleted = cli.run("client", "delete", "--id", "s6BhdRkqt3");
        var again = cli.run("client", "delete", "--id", "s6BhdRkqt3");

        assertThat(deleted.exitCode()).isZero();
        assertThat(deleted.out()).isEqualTo("deleted client s6BhdRkqt3\n");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("doorman: no client with id s6BhdRkqt3\n");
        assertThat(cli.run("client", "list").out()).isEqualTo("no clients\n");
    }

    @Test
    void importWhenFileHasClientsThenPlanAppliesOnceAndExportLeavesSecretsOut() throws IOException {
        var cli = cli();
        Path file = Files.writeString(dir.resolve("clients.json"), FILE);

        var plan = cli.run("import", "--plan", file.toString());
        var first = cli.run("import", file.toString());
        var second = cli.run("import", file.toString());
        var exported = cli.run("export");

        assertThat(plan.out()).contains("  create client s6BhdRkqt3 (confidential, client_secret_basic",
                "  create client com.example.app (public, none", "plan: 2 clients to create (nothing written; run without --plan to apply)");
        assertThat(first.out()).endsWith("applied: 2 clients to create\n");
        assertThat(second.out()).isEqualTo("no changes: the database already matches " + file + "\n");
        assertThat(row("s6BhdRkqt3").get("secret_hash")).isEqualTo(Secrets.hash(FILE_SECRET));
        assertThat(exported.out()).contains("\"clientId\" : \"s6BhdRkqt3\"", "\"clientId\" : \"com.example.app\"")
                .doesNotContain(FILE_SECRET).doesNotContain("clientSecret");
        assertThat(cli.runWithInput(exported.out(), "import", "-").out()).startsWith("no changes");
        assertThat(cli.run("client", "list").out()).contains("s6BhdRkqt3", "com.example.app");
    }
}
