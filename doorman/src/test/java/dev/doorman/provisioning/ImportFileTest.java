package dev.doorman.provisioning;

import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.doorman.account.Email;
import dev.doorman.provisioning.ImportFile.PasswordEntry;
import dev.doorman.provisioning.ImportFile.RoleEntry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImportFileTest {
    static final String HASH = "$argon2id$v=19$m=19456,t=3,p=1$c29tZXNhbHRzb21lc2FsdA$SGVsbG9IZWxsb0hlbGxvSGVsbG9IZWxsb0hlbGxvMTI";

    @Test
    void parseWhenRolesAreNamesOrObjectsThenBothAreRead() {
        var file = ImportFile.parse("""
                {"roles": ["admin", {"name": "support", "description": "Answers tickets"}, {"name": "ops"}]}
                """);

        assertThat(file.roles()).containsExactly(
                new RoleEntry("admin", Optional.empty()),
                new RoleEntry("support", Optional.of("Answers tickets")),
                new RoleEntry("ops", Optional.empty()));
        assertThat(file.users()).isEmpty();
    }

    @Test
    void parseWhenUserHasEveryFieldThenEachIsStatedAndEmailNormalized() {
        var file = ImportFile.parse("""
                {"users": [{"email": " Alice@Example.ORG", "name": "Alice", "password": "correct horse battery staple",
                            "roles": ["admin"], "verified": true, "disabled": false},
                           {"email": "bob@example.org"}]}
                """);

        var alice = file.users().get(0);
        assertThat(alice.email()).isEqualTo(new Email("alice@example.org"));
        assertThat(alice.name()).contains("Alice");
        assertThat(alice.password()).containsInstanceOf(PasswordEntry.Plain.class);
        assertThat(alice.roles()).contains(Set.of("admin"));
        assertThat(alice.verified()).contains(true);
        assertThat(alice.disabled()).contains(false);
        var bob = file.users().get(1);
        assertThat(bob.password()).isEmpty();
        assertThat(bob.name()).isEmpty();
        assertThat(bob.roles()).isEmpty();
        assertThat(bob.verified()).isEmpty();
    }

    @Test
    void parseWhenFieldMisspelledThenErrorNamesItsJsonPath() {
        assertThatThrownBy(() -> ImportFile.parse("""
                {"users": [{"email": "a@example.org"}, {"email": "b@example.org"}, {"email": "c@example.org", "pasword": "x"}]}
                """))
                .isInstanceOf(ImportFileException.class)
                .hasMessageStartingWith("users[2].pasword: unknown field");
    }

    @Test
    void parseWhenUnknownSectionThenErrorNamesIt() {
        assertThatThrownBy(() -> ImportFile.parse("{\"groups\": []}"))
                .hasMessageStartingWith("groups: unknown section");
    }

    static final String SECRET = "kO0v1fT2m3XcY8wq4ZrJ5bN6aL7pD9sE0uH1iG2jF3k";

    @Test
    void parseWhenClientsSectionThenEveryFieldIsRead() {
        var file = ImportFile.parse("""
                {"clients": [
                  {"clientId": "s6BhdRkqt3", "clientSecret": "%s", "public": false, "name": "Example app",
                   "redirectUris": ["https://client.example.org/cb"], "grantTypes": ["authorization_code", "refresh_token"],
                   "scopes": ["openid", "profile"], "audiences": ["https://api.example.org"], "authMethod": "client_secret_post",
                   "accessTokenTtl": "PT10M", "refreshTokenTtl": "P7D", "consentRequired": false},
                  {"clientId": "com.example.app", "public": true}
                ]}
                """.formatted(SECRET));

        var app = file.clients().get(0);
        assertThat(app.clientId()).isEqualTo(new ClientID("s6BhdRkqt3"));
        assertThat(app.clientSecret()).map(Secret::getValue).contains(SECRET);
        assertThat(app.publicClient()).contains(false);
        assertThat(app.name()).contains("Example app");
        assertThat(app.redirectUris()).contains(List.of("https://client.example.org/cb"));
        assertThat(app.grantTypes()).contains(List.of("authorization_code", "refresh_token"));
        assertThat(app.scopes()).contains(List.of("openid", "profile"));
        assertThat(app.audiences()).contains(List.of("https://api.example.org"));
        assertThat(app.authMethod()).contains(ClientAuthenticationMethod.CLIENT_SECRET_POST);
        assertThat(app.accessTokenTtl()).contains(Duration.ofMinutes(10));
        assertThat(app.refreshTokenTtl()).contains(Duration.ofDays(7));
        assertThat(app.consentRequired()).contains(false);
        assertThat(app.toString()).doesNotContain(SECRET);
        var nativeApp = file.clients().get(1);
        assertThat(nativeApp.publicClient()).contains(true);
        assertThat(nativeApp.clientSecret()).isEmpty();
        assertThat(nativeApp.redirectUris()).isEmpty();
    }

    @Test
    void parseWhenClientEntriesAreMalformedThenEveryProblemNamesItsPath() {
        assertThatThrownBy(() -> ImportFile.parse("""
                {"clients": [
                  {"clientId": "3f2b8c1e-6d4a-4f7b-9c2e-1a5d7e9f0b3c"},
                  {"clientId": "web", "clientSecret": "short"},
                  {"clientId": "spa", "public": true, "clientSecret": "%s"},
                  {"clientId": "web", "redirectUri": "https://client.example.org/cb"},
                  {"clientId": "job", "grantTypes": "client_credentials", "accessTokenTtl": "10 minutes", "jwks": "[]"},
                  {"name": "no id"}
                ]}
                """.formatted(SECRET)))
                .isInstanceOf(ImportFileException.class)
                .satisfies(e -> assertThat(((ImportFileException) e).problems()).extracting(Object::toString).containsExactly(
                        "clients[0].clientId: \"3f2b8c1e-6d4a-4f7b-9c2e-1a5d7e9f0b3c\" looks like a UUID: user ids are UUIDs, and a client_id must never equal a user's sub (RFC 9700 §4.15)",
                        "clients[1].clientSecret: must be 32 to 512 printable ASCII characters without spaces (use a random secret of 128 bits or more)",
                        "clients[2].clientSecret: a public client has no secret",
                        "clients[3].redirectUri: unknown field (expected accessTokenTtl, audiences, authMethod, clientId, clientSecret, consentRequired, grantTypes, jwks, name, public, redirectUris, refreshTokenTtl, scopes)",
                        "clients[3].clientId: \"web\" appears twice (also clients[1])",
                        "clients[4].grantTypes: must be a list of strings",
                        "clients[4].jwks: must be a JWK set: an object with \"keys\"",
                        "clients[4].accessTokenTtl: \"10 minutes\" is not an ISO-8601 duration such as PT10M or P7D",
                        "clients[5].clientId: missing"));
    }

    @Test
    void toJsonWhenClientsParsedBackThenSameFile() {
        var file = ImportFile.parse("""
                {"clients": [{"clientId": "job-1", "public": false, "name": "Job", "authMethod": "private_key_jwt", "grantTypes": ["client_credentials"],
                              "scopes": [], "audiences": ["https://api.example.org"], "redirectUris": [],
                              "jwks": {"keys": [{"kty": "EC", "crv": "P-256", "kid": "k1", "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]},
                              "accessTokenTtl": "PT5M", "consentRequired": true}]}
                """);

        assertThat(ImportFile.parse(file.toJson())).isEqualTo(file);
        assertThat(file.toJson()).contains("\"jwks\" : {");
    }

    @Test
    void toJsonWhenFileHoldsAClientSecretThenRefuses() {
        var file = ImportFile.parse("{\"clients\": [{\"clientId\": \"s6BhdRkqt3\", \"clientSecret\": \"" + SECRET + "\"}]}");

        assertThatThrownBy(file::toJson).hasMessageContaining("refusing to write the secret of client s6BhdRkqt3");
    }

    @Test
    void parseWhenPasswordHashMalformedThenRejected() {
        assertThatThrownBy(() -> ImportFile.parse("{\"users\": [{\"email\": \"a@example.org\", \"passwordHash\": \"$2a$10$bcrypt\"}]}"))
                .hasMessageStartingWith("users[0].passwordHash: not a well-formed Argon2id hash");
    }

    @Test
    void parseWhenPasswordHashWellFormedThenKeptVerbatim() {
        var file = ImportFile.parse("{\"users\": [{\"email\": \"a@example.org\", \"passwordHash\": \"" + HASH + "\"}]}");

        assertThat(file.users().getFirst().password()).contains(new PasswordEntry.Hashed(HASH));
    }

    @Test
    void parseWhenPasswordAndHashBothGivenThenRejected() {
        assertThatThrownBy(() -> ImportFile.parse("{\"users\": [{\"email\": \"a@example.org\", \"password\": \"correct horse battery staple\", \"passwordHash\": \""
                + HASH + "\"}]}"))
                .hasMessageStartingWith("users[0]: give either \"password\" or \"passwordHash\", not both");
    }

    @Test
    void parseWhenSameEmailTwiceInAnyCaseThenRejected() {
        assertThatThrownBy(() -> ImportFile.parse("{\"users\": [{\"email\": \"a@example.org\"}, {\"email\": \"A@EXAMPLE.org\"}]}"))
                .hasMessageStartingWith("users[1].email: \"a@example.org\" appears twice (also users[0])");
    }

    @Test
    void parseWhenValueHasWrongTypeThenErrorNamesPathAndType() {
        assertThatThrownBy(() -> ImportFile.parse("{\"users\": [{\"email\": \"a@example.org\", \"verified\": \"yes\"}]}"))
                .hasMessageStartingWith("users[0].verified: must be true or false");
        assertThatThrownBy(() -> ImportFile.parse("{\"users\": [{\"email\": \"a@example.org\", \"roles\": \"admin\"}]}"))
                .hasMessageStartingWith("users[0].roles: must be a list of role names");
        assertThatThrownBy(() -> ImportFile.parse("{\"roles\": {\"admin\": {}}}"))
                .hasMessageStartingWith("roles: must be a list");
    }

    @Test
    void parseWhenEmailMissingOrInvalidThenRejected() {
        assertThatThrownBy(() -> ImportFile.parse("{\"users\": [{\"name\": \"Nobody\"}]}"))
                .hasMessageStartingWith("users[0].email: missing");
        assertThatThrownBy(() -> ImportFile.parse("{\"users\": [{\"email\": \"not-an-address\"}]}"))
                .hasMessageStartingWith("users[0].email: \"not-an-address\" is not a valid e-mail address");
    }

    @Test
    void parseWhenRoleNameMalformedThenRejected() {
        assertThatThrownBy(() -> ImportFile.parse("{\"roles\": [\"has space\"]}"))
                .hasMessageStartingWith("roles[0]: \"has space\" is not a role name");
    }

    @Test
    void parseWhenSeveralProblemsThenAllAreReportedTogether() {
        var thrown = org.assertj.core.api.Assertions.catchThrowableOfType(ImportFileException.class, () -> ImportFile.parse("""
                {"roles": [1], "users": [{"email": "a@example.org", "nmae": "A"}, {"email": "b@example.org", "verified": 1}]}
                """));

        assertThat(thrown.problems()).extracting(ImportFileException.Problem::path)
                .containsExactly("roles[0]", "users[0].nmae", "users[1].verified");
        assertThat(thrown).hasMessageStartingWith("3 problems in the import file:");
    }

    @Test
    void parseWhenNotJsonThenErrorGivesLineAndColumn() {
        assertThatThrownBy(() -> ImportFile.parse("{\"users\": [\n  {\"email\": }]}"))
                .hasMessageStartingWith("not valid JSON: line 2, column");
    }

    @Test
    void parseWhenKeyAppearsTwiceThenRejected() {
        assertThatThrownBy(() -> ImportFile.parse("{\"users\": [], \"users\": []}"))
                .hasMessageContaining("Duplicate field 'users'");
    }

    @Test
    void toJsonWhenParsedBackThenSameFile() {
        var file = ImportFile.parse("""
                {"roles": ["admin", {"name": "support", "description": "Answers tickets"}],
                 "users": [{"email": "a@example.org", "name": "A", "passwordHash": "%s", "roles": ["admin", "support"], "verified": true, "disabled": false}]}
                """.formatted(HASH));

        assertThat(ImportFile.parse(file.toJson())).isEqualTo(file);
    }

    @Test
    void toJsonWhenFileHoldsPlainPasswordThenRefuses() {
        var file = ImportFile.parse("{\"users\": [{\"email\": \"a@example.org\", \"password\": \"correct horse battery staple\"}]}");

        assertThatThrownBy(file::toJson).hasMessageContaining("refusing to write a plain password");
    }
}
