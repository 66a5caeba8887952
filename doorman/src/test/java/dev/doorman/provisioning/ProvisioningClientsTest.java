package dev.doorman.provisioning;

import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.doorman.audit.AuditType;
import dev.doorman.client.ClientAuthenticator;
import dev.doorman.client.RegisteredClient;
import dev.doorman.client.StoredClient;
import dev.doorman.support.Secrets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ProvisioningClientsTest {
    static final String SECRET = "kO0v1fT2m3XcY8wq4ZrJ5bN6aL7pD9sE0uH1iG2jF3k";
    static final String OTHER_SECRET = "Zx9c8V7b6N5m4A3s2D1f0GhJkLqWeRtYuIoP1234567";
    static final String FILE = """
            {"clients": [
              {"clientId": "s6BhdRkqt3", "clientSecret": "%s", "public": false, "name": "Example web app",
               "redirectUris": ["https://client.example.org/cb"], "grantTypes": ["authorization_code", "refresh_token"],
               "scopes": ["openid", "profile"], "consentRequired": false},
              {"clientId": "com.example.app", "public": true, "redirectUris": ["com.example.app:/callback", "http://127.0.0.1/callback"],
               "grantTypes": ["authorization_code"], "scopes": ["openid"], "consentRequired": true}
            ]}
            """.formatted(SECRET);

    @TempDir
    Path dir;
    ProvisioningHarness h;

    @BeforeEach
    void open() {
        h = ProvisioningHarness.open(dir);
    }

    @AfterEach
    void close() {
        h.close();
    }

    private ImportPlan plan(String json) {
        return h.provisioning.plan(ImportFile.parse(json));
    }

    private void importFile(String json) {
        h.provisioning.apply(plan(json));
    }

    private StoredClient stored(String id) {
        return h.doorman.clientStore().findStored(new ClientID(id)).orElseThrow();
    }

    private boolean secretWorks(String id, String secret) {
        ClientAuthentication auth = new ClientSecretBasic(new ClientID(id), new Secret(secret));
        return h.doorman.clientAuthenticator().authenticate(Optional.of(auth), Optional.empty(), URI.create("http://localhost:8080/oauth2/token"))
                instanceof ClientAuthenticator.Result.Authenticated;
    }

    @Test
    void planWhenClientsAreNewThenListsThemAndWritesNothing() {
        ImportPlan plan = plan(FILE);

        assertThat(plan.describe()).containsExactly(
                "create client s6BhdRkqt3 (confidential, client_secret_basic, redirect URIs [https://client.example.org/cb], "
                        + "grants [authorization_code, refresh_token], scopes [openid, profile], no consent screen)",
                "create client com.example.app (public, none, redirect URIs [com.example.app:/callback, http://127.0.0.1/callback], "
                        + "grants [authorization_code], scopes [openid], consent required)");
        assertThat(plan.summary()).isEqualTo("2 clients to create");
        assertThat(plan.toString()).doesNotContain(SECRET).doesNotContain(Secrets.hash(SECRET));
        assertThat(h.doorman.clientService().list()).isEmpty();
    }

    @Test
    void applyWhenPlannedThenClientsExistWithTheFilesSecretStoredOnlyAsHash() {
        importFile(FILE);

        RegisteredClient web = stored("s6BhdRkqt3").client();
        assertThat(web.confidential()).isTrue();
        assertThat(web.consentRequired()).isFalse();
        assertThat(web.scope().toStringList()).containsExactly("openid", "profile");
        assertThat(stored("s6BhdRkqt3").secretHash()).contains(Secrets.hash(SECRET));
        assertThat(secretWorks("s6BhdRkqt3", SECRET)).isTrue();
        assertThat(stored("com.example.app").client().allowsRedirect(URI.create("http://127.0.0.1:53124/callback"))).isTrue();
        assertThat(h.auditTypes()).containsExactly(AuditType.CLIENT_IMPORTED, AuditType.CLIENT_IMPORTED);
    }

    @Test
    void planWhenSameFileImportedAgainThenNoChangesAndNothingAudited() {
        importFile(FILE);

        ImportPlan second = plan(FILE);
        h.provisioning.apply(second);

        assertThat(second.isEmpty()).isTrue();
        assertThat(h.auditTypes()).hasSize(2);
    }

    @Test
    void planWhenSecretLeftOutThenCurrentSecretKept() {
        importFile(FILE);

        ImportPlan plan = plan("{\"clients\": [{\"clientId\": \"s6BhdRkqt3\", \"name\": \"Example web app\"}]}");

        assertThat(plan.isEmpty()).isTrue();
        assertThat(secretWorks("s6BhdRkqt3", SECRET)).isTrue();
    }

    @Test
    void planWhenFieldsAndSecretChangeThenUpdatesOnlyThoseAndNewSecretWorks() {
        importFile(FILE);

        ImportPlan plan = plan("""
                {"clients": [{"clientId": "s6BhdRkqt3", "clientSecret": "%s", "redirectUris": ["https://client.example.org/callback"],
                              "consentRequired": true, "audiences": ["https://api.example.org"]}]}
                """.formatted(OTHER_SECRET));
        h.provisioning.apply(plan);

        assertThat(plan.describe()).containsExactly("update client s6BhdRkqt3: redirect URIs [https://client.example.org/cb] → "
                + "[https://client.example.org/callback], audiences [] → [https://api.example.org], consent required false → true, secret replaced");
        assertThat(plan.summary()).isEqualTo("1 client to update");
        assertThat(secretWorks("s6BhdRkqt3", OTHER_SECRET)).isTrue();
        assertThat(secretWorks("s6BhdRkqt3", SECRET)).isFalse();
        assertThat(stored("s6BhdRkqt3").client().scope().toStringList()).containsExactly("openid", "profile");
    }

    @Test
    void planWhenNewConfidentialClientHasNoSecretThenRefusedWithPath() {
        var e = catchThrowableOfType(ImportFileException.class, () -> plan("""
                {"clients": [{"clientId": "s6BhdRkqt3", "redirectUris": ["https://client.example.org/cb"]}]}
                """));

        assertThat(e.problems()).extracting(Object::toString).containsExactly("clients[0].clientSecret: missing: a client authenticating with "
                + "client_secret_basic needs its secret here (or create it with `doorman client create`, which generates one)");
    }

    @Test
    void planWhenRegistrationBreaksTheRulesThenEveryProblemNamedWithTheEntrysPath() {
        var e = catchThrowableOfType(ImportFileException.class, () -> plan("""
                {"clients": [{"clientId": "spa", "public": true, "redirectUris": ["http://localhost:3000/cb", "https://spa.example.org/cb#x"],
                              "grantTypes": ["authorization_code", "client_credentials", "implicit"]}]}
                """));

        assertThat(e.problems()).extracting(Object::toString).containsExactly(
                "clients[0].grantTypes[2]: \"implicit\" is not supported (allowed: authorization_code, refresh_token, client_credentials)",
                "clients[0].grantTypes: a public client cannot use client_credentials: it has no credentials",
                "clients[0].redirectUris[0]: \"http://localhost:3000/cb\" http://localhost is not allowed (RFC 8252 §8.3): use http://127.0.0.1 or http://[::1]",
                "clients[0].redirectUris[1]: \"https://spa.example.org/cb#x\" must not have a fragment (RFC 6749 §3.1.2)");
        assertThat(h.doorman.clientService().list()).isEmpty();
    }

    @Test
    void planWhenPublicClientBecomesConfidentialThenNeedsSecretAndGetsIt() {
        importFile(FILE);

        ImportPlan plan = plan("{\"clients\": [{\"clientId\": \"com.example.app\", \"public\": false, \"clientSecret\": \"" + SECRET + "\"}]}");
        h.provisioning.apply(plan);

        assertThat(plan.describe()).containsExactly("update client com.example.app: public → confidential, auth method none → client_secret_basic, secret set");
        assertThat(secretWorks("com.example.app", SECRET)).isTrue();
    }

    @Test
    void exportWhenClientsExistThenWrittenWithoutSecretsAndReimportChangesNothing() {
        importFile(FILE);

        ImportFile exported = h.provisioning.export();
        String json = exported.toJson();

        assertThat(json).contains("\"clientId\" : \"s6BhdRkqt3\"", "\"public\" : false", "\"authMethod\" : \"client_secret_basic\"",
                "\"consentRequired\" : false").doesNotContain(SECRET).doesNotContain(Secrets.hash(SECRET)).doesNotContain("clientSecret");
        assertThat(exported.clients()).hasSize(2).allMatch(c -> c.clientSecret().isEmpty());
        assertThat(h.provisioning.plan(ImportFile.parse(json)).isEmpty()).isTrue();
        assertThat(secretWorks("s6BhdRkqt3", SECRET)).isTrue();
    }

    @Test
    void exportWhenImportedIntoEmptyDatabaseThenConfidentialClientsNeedTheirSecret(@TempDir Path other) {
        importFile(FILE);
        String json = h.provisioning.export().toJson();

        try (var fresh = ProvisioningHarness.open(other)) {
            var e = catchThrowableOfType(ImportFileException.class, () -> fresh.provisioning.plan(ImportFile.parse(json)));

            assertThat(e.problems()).extracting(p -> p.path()).containsExactly("clients[1].clientSecret");
        }
    }
}
