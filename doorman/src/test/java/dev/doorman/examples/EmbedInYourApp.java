package dev.doorman.examples;

import dev.doorman.Doorman;
import dev.doorman.DoormanSettings;
import dev.doorman.db.Database;
import dev.doorman.db.DbSettings;
import io.javalin.Javalin;

import java.net.URI;
import java.nio.file.Path;

/**
 * The README's embedding example, compiled and tested (EmbedInYourAppTest): your own Javalin app gets Doorman's
 * pages, JSON API, sessions and CSRF defence, and its handlers ask who is calling.
 * Run it: {@code java … dev.doorman.examples.EmbedInYourApp}, then open http://localhost:7070/register.
 */
public final class EmbedInYourApp {
    public static Javalin start(int port, Path dataDir) {
        var database = Database.open(DbSettings.embedded(dataDir));
        database.migrate();
        var doorman = Doorman.builder(DoormanSettings.dev(URI.create("http://localhost:" + port)), database).build();

        return Javalin.create(config -> {
            doorman.configureServer(config);                      // Doorman's routes, sessions, CSRF, headers, errors
            config.routes.get("/hello", ctx -> ctx.result(doorman.currentUser(ctx)
                    .map(user -> "Hello, " + user.email() + "!")
                    .orElse("Hello, stranger. Log in at /login.")));
            config.routes.post("/notes", ctx -> {                 // state-changing: CSRF-checked before it runs
                var user = doorman.currentUser(ctx).orElseThrow(io.javalin.http.UnauthorizedResponse::new);
                ctx.status(201).result("saved a note for " + user.id());
            });
            config.events.serverStopped(() -> {
                doorman.close();
                database.close();
            });
        }).start("127.0.0.1", port);
    }

    public static void main(String[] args) {
        start(7070, Path.of("data"));
    }
}
