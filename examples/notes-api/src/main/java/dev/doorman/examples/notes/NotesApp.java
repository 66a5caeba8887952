package dev.doorman.examples.notes;

import dev.doorman.Doorman;
import dev.doorman.DoormanSettings;
import dev.doorman.authz.Policy;
import dev.doorman.authz.PolicyException;
import dev.doorman.db.Database;
import dev.doorman.db.DbSettings;
import io.javalin.Javalin;
import org.flywaydb.core.Flyway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A notes app that embeds Doorman: people register and log in through Doorman's pages or JSON API, then keep
 * private notes in the app's own table. Only the owner reads or changes a note (the policy file's rule, asked
 * before every read and write); everyone else gets 404. Doorman's CSRF check covers the app's own writes.
 */
public final class NotesApp implements AutoCloseable {
    /** The policy the app ships with; its tests run with {@code bin/doorman policy test} and in NotesPolicyTest. */
    public static final String BUNDLED_POLICY = "/dev/doorman/examples/notes/policy.yaml";

    private final Javalin server;
    private final Doorman doorman;
    private final Database identity;
    private final Database notesDb;

    private NotesApp(Javalin server, Doorman doorman, Database identity, Database notesDb) {
        this.server = server;
        this.doorman = doorman;
        this.identity = identity;
        this.notesDb = notesDb;
    }

    public static NotesApp start(NotesSettings settings) {
        try {
            Files.createDirectories(settings.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + settings.dataDir().toAbsolutePath(), e);
        }
        var identity = Database.open(DbSettings.embedded(settings.dataDir()));      // Doorman's tables: doorman.db
        identity.migrate();
        // The app's own tables live in their own file with their own migrations; Doorman never reads them.
        var notesDb = Database.open(DbSettings.jdbc("jdbc:sqlite:" + settings.dataDir().resolve("notes.db"), null, null));
        Flyway.configure().dataSource(notesDb.dataSource()).locations("classpath:db/notes").load().migrate();

        var doorman = Doorman.builder(DoormanSettings.dev(settings.baseUrl()), identity).policy(policy(settings)).build();
        var notes = new NotesService(new JdbiNoteStore(notesDb.jdbi()), doorman.access().authorizer(), Clock.systemUTC());
        var api = new NotesApi(notes, doorman::subject);
        var page = new NotesPage(notes, doorman::subject, doorman::csrfToken);

        Javalin server;
        try {
            server = Javalin.create(config -> {
            doorman.configureServer(config);          // Doorman's pages and API, sessions, CSRF, headers, errors
            config.routes.get(NotesApi.COLLECTION, api::list);
            config.routes.post(NotesApi.COLLECTION, api::create);
            config.routes.get(NotesApi.ITEM, api::read);
            config.routes.put(NotesApi.ITEM, api::update);
            config.routes.delete(NotesApi.ITEM, api::delete);
            config.routes.get(NotesPage.PAGE, page::page);
            config.routes.post(NotesPage.PAGE, page::create);
            config.routes.post(NotesPage.ITEM, page::update);
            config.routes.post(NotesPage.DELETE, page::delete);
            });
            server.start("127.0.0.1", settings.port());
        } catch (RuntimeException e) {
            doorman.close();
            identity.close();
            notesDb.close();
            throw e;
        }
        return new NotesApp(server, doorman, identity, notesDb);
    }

    static Policy policy(NotesSettings settings) {
        try {
            if (settings.policyFile().isPresent()) return Policy.load(settings.policyFile().get());
            try (InputStream in = NotesApp.class.getResourceAsStream(BUNDLED_POLICY)) {
                return Policy.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "notes-api " + BUNDLED_POLICY);
            }
        } catch (PolicyException e) {
            throw new IllegalStateException("the policy file is invalid: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the policy file", e);
        }
    }

    public int port() {
        return server.port();
    }

    public Doorman doorman() {
        return doorman;
    }

    public Database notesDatabase() {
        return notesDb;
    }

    @Override
    public void close() {
        server.stop();
        doorman.close();
        identity.close();
        notesDb.close();
    }

    public static void main(String[] args) {
        var settings = NotesSettings.fromEnv(System.getenv());
        var app = start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(app::close));
        System.out.println("notes-api on " + settings.baseUrl() + "/notes (register at /register; mail goes to /dev/outbox); data in "
                + settings.dataDir().toAbsolutePath());
    }
}
