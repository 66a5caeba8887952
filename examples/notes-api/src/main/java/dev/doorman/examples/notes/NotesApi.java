package dev.doorman.examples.notes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.doorman.authz.Subject;
import dev.doorman.web.JsonBody;
import dev.doorman.web.ProblemException;
import io.javalin.http.Context;

import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The JSON API, a thin edge: who is calling (Doorman's session), a strict body, the service, the answer. Errors are
 * thrown as {@link ProblemException}s, which Doorman's error mapping writes as problem+json under /api/.
 * Doorman's CSRF before-handler has already checked every POST, PUT and DELETE that carries a session.
 */
public final class NotesApi {
    public static final String COLLECTION = "/api/notes";
    public static final String ITEM = "/api/notes/{id}";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("title", "body");

    private final NotesService notes;
    private final Function<Context, Optional<Subject>> caller;

    public NotesApi(NotesService notes, Function<Context, Optional<Subject>> caller) {
        this.notes = notes;
        this.caller = caller;
    }

    public void list(Context ctx) {
        var array = JSON.createArrayNode();
        notes.list(subject(ctx)).forEach(n -> array.add(json(n)));
        ctx.contentType("application/json").result(array.toString());
    }

    public void create(Context ctx) {
        Subject subject = subject(ctx);
        NoteDraft draft = draft(ctx);
        Note note = notes.create(subject, draft)
                .orElseThrow(() -> new ProblemException(403, "auth.forbidden", "You may not create notes."));
        ctx.status(201).header("Location", COLLECTION + "/" + note.id()).contentType("application/json").result(json(note).toString());
    }

    public void read(Context ctx) {
        Subject subject = subject(ctx);
        Note note = notes.read(subject, id(ctx)).orElseThrow(NotesApi::notFound);
        ctx.contentType("application/json").result(json(note).toString());
    }

    public void update(Context ctx) {
        Subject subject = subject(ctx);
        String id = id(ctx);
        NoteDraft draft = draft(ctx);
        Note note = notes.update(subject, id, draft).orElseThrow(NotesApi::notFound);
        ctx.contentType("application/json").result(json(note).toString());
    }

    public void delete(Context ctx) {
        Subject subject = subject(ctx);
        if (!notes.delete(subject, id(ctx))) throw notFound();
        ctx.status(204);
    }

    private Subject subject(Context ctx) {
        return caller.apply(ctx).orElseThrow(() -> new ProblemException(401, "auth.unauthenticated", "Log in first."));
    }

    /** Exactly {title, body}, both strings: anything else is a 400 (415 for another content type) and changes nothing. */
    private static NoteDraft draft(Context ctx) {
        JsonBody body = JsonBody.read(ctx, FIELDS, Set.of());
        try {
            return new NoteDraft(body.text("title"), body.text("body"));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(400, "notes.invalid_note", e.getMessage());
        }
    }

    private static String id(Context ctx) {
        String id = ctx.pathParam("id");
        if (!NotesService.looksLikeId(id)) throw notFound();
        return id;
    }

    /** The same answer for a note that does not exist and one that is someone else's. */
    private static ProblemException notFound() {
        return new ProblemException(404, "notes.not_found", "There is no such note.");
    }

    static ObjectNode json(Note note) {
        return JSON.createObjectNode().put("id", note.id()).put("title", note.title()).put("body", note.body())
                .put("createdAt", note.createdAt().toString()).put("updatedAt", note.updatedAt().toString());
    }
}
