package dev.doorman.provisioning;

import dev.doorman.account.Email;
import dev.doorman.account.Password;
import dev.doorman.account.RoleStore.Role;
import dev.doorman.account.User;
import dev.doorman.audit.AuditType;
import dev.doorman.provisioning.ImportPlan.Change;
import dev.doorman.provisioning.ImportPlan.UserField;
import dev.doorman.support.ClientInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ProvisioningServiceTest {
    static final String ALICE_PASSWORD = "correct horse battery staple";
    static final String BOB_PASSWORD = "violet tundra marching slowly";
    static final String FILE = """
            {
              "roles": ["admin", {"name": "support", "description": "Answers tickets"}],
              "users": [
                {"email": "alice@example.org", "name": "Alice", "password": "%s", "roles": ["admin", "support"], "verified": true},
                {"email": "bob@example.org", "password": "%s", "roles": ["support"]}
              ]
            }
            """.formatted(ALICE_PASSWORD, BOB_PASSWORD);

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

    private User user(String email) {
        return h.doorman.users().findByEmail(new Email(email)).orElseThrow();
    }

    @Test
    void planWhenDatabaseIsEmptyThenListsEveryCreationAndWritesNothing() {
        ImportPlan plan = plan(FILE);

        assertThat(plan.changes()).hasSize(4);
        assertThat(plan.changes().get(0)).isEqualTo(new Change.CreateRole("admin", Optional.empty()));
        assertThat(plan.changes().get(1)).isEqualTo(new Change.CreateRole("support", Optional.of("Answers tickets")));
        assertThat(plan.describe().get(2)).isEqualTo("create user alice@example.org (name \"Alice\", password, verified, roles [admin, support])");
        assertThat(plan.describe().get(3)).isEqualTo("create user bob@example.org (password, not verified, roles [support])");
        assertThat(plan.summary()).isEqualTo("2 roles to create, 2 users to create");
        assertThat(h.doorman.roles().list()).isEmpty();
        assertThat(h.doorman.users().list(0, 10)).isEmpty();
        assertThat(h.auditTypes()).isEmpty();
    }

    @Test
    void applyWhenPlannedThenCreatesRolesAndUsersAndAuditsEachUser() {
        importFile(FILE);

        assertThat(h.doorman.roles().list()).containsExactly(new Role("admin", Optional.empty()), new Role("support", Optional.of("Answers tickets")));
        User alice = user("alice@example.org");
        assertThat(alice.name()).contains("Alice");
        assertThat(alice.emailVerified()).isTrue();
        assertThat(alice.disabled()).isFalse();
        assertThat(h.doorman.passwordHasher().verify(new Password(ALICE_PASSWORD), alice.passwordHash().orElseThrow())).isTrue();
        assertThat(h.doorman.roles().rolesOf(alice.id())).containsExactly("admin", "support");
        User bob = user("bob@example.org");
        assertThat(bob.emailVerified()).isFalse();
        assertThat(h.doorman.roles().rolesOf(bob.id())).containsExactly("support");
        assertThat(h.auditTypes()).containsExactly(AuditType.USER_IMPORTED, AuditType.USER_IMPORTED);
    }

    @Test
    void planWhenSameFileImportedAgainThenNoChangesAndNothingRehashedOrAudited() {
        importFile(FILE);
        String aliceHash = user("alice@example.org").passwordHash().orElseThrow();

        ImportPlan second = plan(FILE);
        h.provisioning.apply(second);

        assertThat(second.isEmpty()).isTrue();
        assertThat(second.summary()).isEqualTo("no changes");
        assertThat(user("alice@example.org").passwordHash()).contains(aliceHash);
        assertThat(h.auditTypes()).hasSize(2);
    }

    @Test
    void planWhenFieldsDifferThenUpdatesOnlyThoseFields() {
        importFile(FILE);

        ImportPlan plan = plan("""
                {"users": [{"email": "alice@example.org", "name": "Alice Liddell", "verified": true, "roles": ["admin"]},
                           {"email": "bob@example.org", "verified": true}]}
                """);

        assertThat(plan.describe()).containsExactly(
                "update user alice@example.org: name \"Alice\" → \"Alice Liddell\", roles [admin, support] → [admin]",
                "update user bob@example.org: verified false → true");
        h.provisioning.apply(plan);
        User alice = user("alice@example.org");
        assertThat(alice.name()).contains("Alice Liddell");
        assertThat(h.doorman.roles().rolesOf(alice.id())).containsExactly("admin");
        assertThat(h.doorman.passwordHasher().verify(new Password(ALICE_PASSWORD), alice.passwordHash().orElseThrow())).isTrue();
        assertThat(user("bob@example.org").emailVerified()).isTrue();
    }

    @Test
    void planWhenPasswordChangedThenStoredHashReplaced() {
        importFile(FILE);
        String newPassword = "plum kettle orbit seventeen";

        ImportPlan plan = plan("{\"users\": [{\"email\": \"alice@example.org\", \"password\": \"" + newPassword + "\"}]}");

        assertThat(plan.describe()).containsExactly("update user alice@example.org: password replaced");
        assertThat(plan.toString()).doesNotContain("argon2");
        h.provisioning.apply(plan);
        String stored = user("alice@example.org").passwordHash().orElseThrow();
        assertThat(h.doorman.passwordHasher().verify(new Password(newPassword), stored)).isTrue();
        assertThat(h.doorman.passwordHasher().verify(new Password(ALICE_PASSWORD), stored)).isFalse();
    }

    @Test
    void planWhenPasswordViolatesPolicyThenRejectedNamingTheUsersIndex() {
        var thrown = catchThrowableOfType(ImportFileException.class, () -> plan("""
                {"users": [{"email": "alice@example.org", "password": "%s"}, {"email": "bob@example.org", "password": "short"}]}
                """.formatted(ALICE_PASSWORD)));

        assertThat(thrown).hasMessage("users[1].password: Password must be at least 15 characters long.");
        assertThat(h.doorman.users().list(0, 10)).isEmpty();
    }

    @Test
    void planWhenUserNamesUnknownRoleThenRejected() {
        assertThatThrownBy(() -> plan("{\"users\": [{\"email\": \"alice@example.org\", \"roles\": [\"root\"]}]}"))
                .isInstanceOf(ImportFileException.class)
                .hasMessage("users[0].roles: role \"root\" is not defined in the file's \"roles\" or in the database");
    }

    @Test
    void planWhenRoleExistsOnlyInDatabaseThenUserMayHoldIt() {
        h.doorman.roles().save(new Role("auditor", Optional.empty()));

        ImportPlan plan = plan("{\"users\": [{\"email\": \"carol@example.org\", \"roles\": [\"auditor\"]}]}");

        assertThat(plan.changes()).singleElement().isInstanceOf(Change.CreateUser.class);
    }

    @Test
    void planWhenGivenHashDiffersThenReplacedAndWhenEqualThenNoChange() {
        String hash = h.doorman.passwordHasher().hash(new Password(BOB_PASSWORD));
        String json = "{\"users\": [{\"email\": \"bob@example.org\", \"passwordHash\": \"" + hash + "\"}]}";
        importFile(json);

        assertThat(user("bob@example.org").passwordHash()).contains(hash);
        assertThat(plan(json).isEmpty()).isTrue();
    }

    @Test
    void planWhenRoleDescriptionChangedThenUpdateRole() {
        importFile(FILE);

        ImportPlan plan = plan("{\"roles\": [\"admin\", {\"name\": \"support\", \"description\": \"First line\"}]}");

        assertThat(plan.changes()).containsExactly(new Change.UpdateRole("support", Optional.of("Answers tickets"), "First line"));
    }

    @Test
    void planWhenUsersNotInFileThenTheyAreLeftAlone() {
        importFile(FILE);

        importFile("{\"users\": [{\"email\": \"carol@example.org\"}]}");

        assertThat(h.doorman.users().list(0, 10)).extracting(u -> u.email().value())
                .containsExactly("alice@example.org", "bob@example.org", "carol@example.org");
    }

    @Test
    void applyWhenFileDisablesUserThenEverySessionOfItEnds() {
        importFile(FILE);
        User bob = user("bob@example.org");
        h.insertSession(bob.id());

        ImportPlan plan = plan("{\"users\": [{\"email\": \"bob@example.org\", \"disabled\": true}]}");
        h.provisioning.apply(plan);

        assertThat(plan.changes()).singleElement().isEqualTo(new Change.UpdateUser(bob.id(), bob.email(), List.of(new UserField.Disabled(true))));
        assertThat(user("bob@example.org").disabled()).isTrue();
        assertThat(h.sessionCount()).isZero();
        assertThat(h.auditTypes()).contains(AuditType.USER_DISABLED);
    }

    @Test
    void applyWhenFileReplacesAPasswordThenEverySessionOfThatAccountEnds() {
        importFile(FILE);
        User bob = user("bob@example.org");
        h.insertSession(bob.id());

        h.provisioning.apply(plan("{\"users\": [{\"email\": \"bob@example.org\", \"password\": \"an entirely new passphrase here\"}]}"));

        assertThat(h.sessionCount()).isZero();
    }

    @Test
    void applyWhenAccountAppearedSincePlanThenNothingIsWritten() {
        ImportPlan plan = plan(FILE);
        h.provisioning.apply(plan("{\"users\": [{\"email\": \"bob@example.org\"}]}"));

        assertThatThrownBy(() -> h.provisioning.apply(plan))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("bob@example.org was created after the plan was made");
        assertThat(h.doorman.roles().list()).isEmpty();
        assertThat(h.doorman.users().findByEmail(new Email("alice@example.org"))).isEmpty();
    }

    @Test
    void exportWhenImportedIntoSameDatabaseThenNoChanges() {
        importFile(FILE);

        String exported = h.provisioning.export().toJson();

        assertThat(plan(exported).isEmpty()).isTrue();
        assertThat(exported).doesNotContain(ALICE_PASSWORD).doesNotContain(BOB_PASSWORD).contains("$argon2id$");
    }

    @Test
    void exportWhenImportedIntoFreshDatabaseThenAccountsAreReproducedAndPasswordsStillVerify(@TempDir Path otherDir) {
        importFile(FILE);
        importFile("{\"users\": [{\"email\": \"carol@example.org\", \"disabled\": true}]}");
        String exported = h.provisioning.export().toJson();

        try (var fresh = ProvisioningHarness.open(otherDir)) {
            fresh.provisioning.apply(fresh.provisioning.plan(ImportFile.parse(exported)));

            User alice = fresh.doorman.users().findByEmail(new Email("alice@example.org")).orElseThrow();
            assertThat(fresh.doorman.passwordHasher().verify(new Password(ALICE_PASSWORD), alice.passwordHash().orElseThrow())).isTrue();
            assertThat(alice.name()).contains("Alice");
            assertThat(alice.emailVerified()).isTrue();
            assertThat(fresh.doorman.roles().rolesOf(alice.id())).containsExactly("admin", "support");
            User carol = fresh.doorman.users().findByEmail(new Email("carol@example.org")).orElseThrow();
            assertThat(carol.disabled()).isTrue();
            assertThat(carol.passwordHash()).isEmpty();
            assertThat(fresh.doorman.roles().list()).isEqualTo(h.doorman.roles().list());
            assertThat(fresh.provisioning.export().toJson()).isEqualTo(exported);
        }
    }

    @Test
    void createUserWhenValidThenCreatedWithRolesAndAudited() {
        h.doorman.roles().save(new Role("admin", Optional.empty()));

        var outcome = h.provisioning.createUser(new NewUser(new Email("dora@example.org"), Optional.of("Dora"),
                new Password(ALICE_PASSWORD), true, Set.of("admin")), ClientInfo.unknown());

        assertThat(outcome).isInstanceOf(CreateUserOutcome.Created.class);
        User dora = user("dora@example.org");
        assertThat(dora.emailVerified()).isTrue();
        assertThat(h.doorman.roles().rolesOf(dora.id())).containsExactly("admin");
        assertThat(h.auditTypes()).containsExactly(AuditType.USER_CREATED);
    }

    @Test
    void createUserWhenRejectedThenOutcomeSaysWhyAndNothingIsWritten() {
        var weak = h.provisioning.createUser(new NewUser(new Email("dora@example.org"), Optional.empty(), new Password("password"), false, Set.of()),
                ClientInfo.unknown());
        var unknownRole = h.provisioning.createUser(new NewUser(new Email("dora@example.org"), Optional.empty(), new Password(ALICE_PASSWORD), false,
                Set.of("root")), ClientInfo.unknown());

        assertThat(weak).isInstanceOfSatisfying(CreateUserOutcome.PasswordRejected.class,
                r -> assertThat(r.violation().id()).isEqualTo("password.too_short"));
        assertThat(unknownRole).isEqualTo(new CreateUserOutcome.UnknownRoles(Set.of("root")));
        assertThat(h.doorman.users().list(0, 10)).isEmpty();
    }

    @Test
    void createUserWhenEmailTakenThenEmailTaken() {
        importFile(FILE);

        var outcome = h.provisioning.createUser(new NewUser(new Email("Alice@example.org"), Optional.empty(), new Password(BOB_PASSWORD), false, Set.of()),
                ClientInfo.unknown());

        assertThat(outcome).isEqualTo(new CreateUserOutcome.EmailTaken(new Email("alice@example.org")));
    }
}
