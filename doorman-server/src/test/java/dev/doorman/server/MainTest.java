package dev.doorman.server;

import dev.doorman.db.Database;
import dev.doorman.db.DbSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {
    static final String PASSWORD = "correct horse battery staple";
    static final String FILE = """
            {
              "roles": ["admin", {"name": "support", "description": "Answers tickets"}],
              "users": [
                {"email": "alice@example.org", "name": "Alice", "password": "correct horse battery staple", "roles": ["admin"], "verified": true},
                {"email": "bob@example.org", "password": "violet tundra marching slowly", "roles": ["support"]}
              ]
            }
            """;

    @TempDir
    Path dir;

    private Cli cli() {
        return new Cli(dir.resolve("data"));
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private int sessionCount(Path dataDir) {
        try (var db = Database.open(DbSettings.embedded(dataDir))) {
            return db.jdbi().withHandle(h -> h.createQuery("select count(*) from sessions").mapTo(Integer.class).one());
        }
    }

    private void insertSession(Path dataDir, String email) {
        try (var db = Database.open(DbSettings.embedded(dataDir))) {
            db.jdbi().useHandle(h -> h.createUpdate("insert into sessions (id, token_hash, user_id, created_at, last_seen_at, expires_at, auth_time, ip, user_agent) "
                            + "select :id, :hash, id, 0, 0, 9999999999999, 0, '127.0.0.1', 'test' from users where email = :email")
                    .bind("id", UUID.randomUUID().toString()).bind("hash", "b".repeat(64)).bind("email", email).execute());
        }
    }

    @Test
    void runWhenNoCommandThenUsageOnStandardErrorAndExit2() {
        var result = cli().run();

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Usage: doorman", "serve", "migrate", "user", "client", "import", "export");
    }

    @Test
    void runWhenUnknownCommandOrOptionThenExit2() {
        assertThat(cli().run("serv").exitCode()).isEqualTo(2);
        assertThat(cli().run("serve", "--port", "1").exitCode()).isEqualTo(2);
        assertThat(cli().run("user").exitCode()).isEqualTo(2);
    }

    @Test
    void runWhenVersionRequestedThenPrintsIt() {
        var result = cli().run("--version");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("Doorman ");
    }

    @Test
    void migrateWhenDatabaseIsNewThenAppliesThenIsUpToDate() {
        var cli = cli();

        var first = cli.run("migrate");
        var second = cli.run("migrate");

        assertThat(first.exitCode()).isZero();
        assertThat(first.out()).startsWith("applied ").contains("migration").contains("SQLite at ");
        assertThat(second.out()).startsWith("the database is up to date");
        assertThat(dir.resolve("data/doorman.db")).exists();
    }

    @Test
    void runWhenConfigurationIsWrongThenOneLineNamingTheKeyAndExit2() throws IOException {
        Path config = file("doorman.yml", "session: { idleTimeout: abc }\n");

        var result = cli().run("migrate", "--config", config.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("doorman: configuration error: session.idleTimeout: \"abc\" is not a duration (use 30m, 12h or PT30M)\n");
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void runWhenEnvironmentVariableIsWrongThenErrorNamesIt() {
        var result = cli().env("DOORMAN_HTTP_PORT", "x").run("serve");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("DOORMAN_HTTP_PORT: \"x\" is not a port number");
    }

    @Test
    void serveWhenProductionIsInsecureThenRefusesListingEveryProblemAndExit2() {
        var result = cli().env("DOORMAN_MODE", "production").env("DOORMAN_BASE_URL", "http://login.example.org").run("serve");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("doorman: refusing to start in production mode:\n")
                .contains("  - base URL 'http://login.example.org' is not https: set DOORMAN_BASE_URL")
                .contains("  - no SMTP server is configured: set DOORMAN_SMTP_HOST")
                .doesNotContain("Exception");
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void userCreateWhenPasswordOnStandardInputThenCreatedAndListed() {
        var cli = cli();

        var created = cli.runWithInput(PASSWORD + "\n", "user", "create", "--email", "Alice@Example.org", "--name", "Alice", "--verified");
        var list = cli.run("user", "list");

        assertThat(created.exitCode()).isZero();
        assertThat(created.out()).startsWith("created user alice@example.org (id ").contains("verified");
        assertThat(list.exitCode()).isZero();
        var lines = list.out().lines().toList();
        assertThat(lines.get(0)).matches("ID +EMAIL +VERIFIED +DISABLED +ROLES");
        assertThat(lines.get(1)).matches("[0-9a-f-]{36} +alice@example\\.org +yes +no");
        assertThat(list.out()).doesNotContain(PASSWORD);
        assertThat(created.out() + created.err()).doesNotContain(PASSWORD);
    }

    @Test
    void userCreateWhenPasswordStdinFlagAndRolesThenRolesGranted() throws IOException {
        var cli = cli();
        cli.run("import", file("roles.json", "{\"roles\": [\"admin\", \"support\"]}").toString());

        var created = cli.runWithInput(PASSWORD, "user", "create", "--email", "carol@example.org", "--role", "admin", "--role", "support", "--password-stdin");

        assertThat(created.exitCode()).isZero();
        assertThat(created.out()).contains("not verified, roles admin, support");
        assertThat(cli.run("user", "list").out()).contains("admin,support");
    }

    @Test
    void userCreateWhenPasswordBreaksPolicyThenExit1AndNothingCreated() {
        var cli = cli();

        var result = cli.runWithInput("password123\n", "user", "create", "--email", "alice@example.org");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("doorman: password rejected: Password must be at least 15 characters long.\n");
        assertThat(cli.run("user", "list").out()).isEqualTo("no users\n");
    }

    @Test
    void userCreateWhenNoPasswordOnStandardInputThenExit1() {
        var result = cli().run("user", "create", "--email", "alice@example.org");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("no password on standard input");
    }

    @Test
    void userCreateWhenEmailMissingOrInvalidThenUsageErrorExit2() {
        assertThat(cli().run("user", "create").exitCode()).isEqualTo(2);
        var invalid = cli().runWithInput(PASSWORD, "user", "create", "--email", "not-an-address");
        assertThat(invalid.exitCode()).isEqualTo(2);
        assertThat(invalid.err()).contains("--email: \"not-an-address\" is not a valid e-mail address");
    }

    @Test
    void userCreateWhenEmailTakenOrRoleUnknownThenExit1() {
        var cli = cli();
        cli.runWithInput(PASSWORD, "user", "create", "--email", "alice@example.org");

        var taken = cli.runWithInput(PASSWORD, "user", "create", "--email", "ALICE@example.org");
        var unknownRole = cli.runWithInput(PASSWORD, "user", "create", "--email", "bob@example.org", "--role", "root");

        assertThat(taken.exitCode()).isEqualTo(1);
        assertThat(taken.err()).isEqualTo("doorman: a user with e-mail alice@example.org already exists\n");
        assertThat(unknownRole.exitCode()).isEqualTo(1);
        assertThat(unknownRole.err()).startsWith("doorman: no such role: root");
    }

    @Test
    void userDisableWhenUserExistsThenDisabledAndEverySessionEnds() {
        var cli = cli();
        cli.runWithInput(PASSWORD, "user", "create", "--email", "alice@example.org", "--verified");
        insertSession(dir.resolve("data"), "alice@example.org");

        var result = cli.run("user", "disable", "--email", "alice@example.org");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("disabled alice@example.org; every session of it has ended\n");
        assertThat(sessionCount(dir.resolve("data"))).isZero();
        assertThat(cli.run("user", "list").out().lines().skip(1).findFirst().orElseThrow()).matches(".*alice@example\\.org +yes +yes");
    }

    @Test
    void userDisableWhenNoSuchUserThenExit1() {
        var result = cli().run("user", "disable", "--email", "nobody@example.org");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("doorman: no user with e-mail nobody@example.org\n");
    }

    @Test
    void importWhenPlanOnlyThenShowsChangesAndWritesNothing() throws IOException {
        var cli = cli();
        Path file = file("users.json", FILE);

        var plan = cli.run("import", "--plan", file.toString());

        assertThat(plan.exitCode()).isZero();
        assertThat(plan.out()).contains("  create role admin", "  create user alice@example.org",
                "plan: 2 roles to create, 2 users to create (nothing written; run without --plan to apply)");
        assertThat(cli.run("user", "list").out()).isEqualTo("no users\n");
    }

    @Test
    void importWhenAppliedTwiceThenSecondRunHasNoChanges() throws IOException {
        var cli = cli();
        Path file = file("users.json", FILE);

        var first = cli.run("import", file.toString());
        var second = cli.run("import", file.toString());

        assertThat(first.exitCode()).isZero();
        assertThat(first.out()).endsWith("applied: 2 roles to create, 2 users to create\n");
        assertThat(second.exitCode()).isZero();
        assertThat(second.out()).isEqualTo("no changes: the database already matches " + file + "\n");
        assertThat(cli.run("user", "list").out()).contains("alice@example.org", "bob@example.org");
    }

    @Test
    void importWhenFileFromStandardInputThenRead() {
        var result = cli().runWithInput(FILE, "import", "-");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("applied: 2 roles to create, 2 users to create");
    }

    @Test
    void importWhenFileInvalidThenExit1WithPathAndNothingWritten() throws IOException {
        var cli = cli();
        Path file = file("bad.json", """
                {"users": [{"email": "alice@example.org", "password": "correct horse battery staple"},
                           {"email": "bob@example.org", "password": "short"}]}
                """);

        var result = cli.run("import", file.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("doorman: import refused, nothing was written: users[1].password: Password must be at least 15 characters long.\n");
        assertThat(cli.run("user", "list").out()).isEqualTo("no users\n");
    }

    @Test
    void importWhenFileMissingThenExit1() {
        var result = cli().run("import", dir.resolve("missing.json").toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).endsWith("missing.json: no such file\n");
    }

    @Test
    void exportWhenImportedIntoFreshDataDirectoryThenSameAccountsAndNoChangesOnReimport() throws IOException {
        var cli = cli();
        cli.run("import", file("users.json", FILE).toString());

        var exported = cli.run("export");
        var fresh = new Cli(dir.resolve("fresh"));
        var imported = fresh.runWithInput(exported.out(), "import", "-");
        var reexported = fresh.run("export", "-");

        assertThat(exported.exitCode()).isZero();
        assertThat(exported.out()).contains("\"passwordHash\" : \"$argon2id$").doesNotContain(PASSWORD);
        assertThat(imported.out()).contains("applied: 2 roles to create, 2 users to create");
        assertThat(reexported.out()).isEqualTo(exported.out());
        assertThat(cli.runWithInput(exported.out(), "import", "-").out()).startsWith("no changes");
    }

    @Test
    void exportWhenToFileThenOnlyItsOwnerCanReadIt() throws IOException {
        var cli = cli();
        cli.run("import", file("users.json", FILE).toString());
        Path target = dir.resolve("backup.json");

        var result = cli.run("export", target.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).contains("exported 2 roles, 2 users and 0 clients to " + target);
        assertThat(Files.readString(target)).contains("alice@example.org");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
    }

    @Test
    void runWhenUnexpectedFailureThenOneLineWithoutStackTraceUnlessDebug() throws IOException {
        Files.writeString(dir.resolve("data"), "a file where the data directory should be");

        var quiet = new Cli(dir.resolve("data")).run("migrate");
        var debug = new Cli(dir.resolve("data")).env("DOORMAN_DEBUG", "1").run("migrate");

        assertThat(quiet.exitCode()).isEqualTo(1);
        assertThat(quiet.err().lines().toList()).hasSize(2);
        assertThat(quiet.err()).startsWith("doorman: cannot create the data directory").doesNotContain("\tat ");
        assertThat(debug.exitCode()).isEqualTo(1);
        assertThat(debug.err()).contains("\tat ");
    }
}
