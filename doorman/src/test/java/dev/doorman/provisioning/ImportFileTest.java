package dev.doorman.provisioning;

import dev.doorman.account.Email;
import dev.doorman.provisioning.ImportFile.PasswordEntry;
import dev.doorman.provisioning.ImportFile.RoleEntry;
import org.junit.jupiter.api.Test;

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

    @Test
    void parseWhenClientsSectionThenNotSupportedYet() {
        assertThatThrownBy(() -> ImportFile.parse("{\"clients\": [], \"users\": []}"))
                .hasMessageStartingWith("clients: not supported yet");
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
