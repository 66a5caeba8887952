package dev.doorman.examples.notes;

import dev.doorman.authz.Subject;
import dev.doorman.web.ProblemException;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A minimal server-rendered page to use the notes in a browser: plain HTML forms, no script (Doorman's
 * Content-Security-Policy allows none), every value escaped, every form carrying the CSRF token.
 */
public final class NotesPage {
    public static final String PAGE = "/notes";
    public static final String ITEM = "/notes/{id}";
    public static final String DELETE = "/notes/{id}/delete";

    private final NotesService notes;
    private final Function<Context, Optional<Subject>> caller;
    private final Function<Context, String> csrfToken;

    public NotesPage(NotesService notes, Function<Context, Optional<Subject>> caller, Function<Context, String> csrfToken) {
        this.notes = notes;
        this.caller = caller;
        this.csrfToken = csrfToken;
    }

    public void page(Context ctx) {
        Optional<Subject> subject = caller.apply(ctx);
        if (subject.isEmpty()) {
            ctx.redirect("/login?returnTo=" + PAGE, HttpStatus.SEE_OTHER);
            return;
        }
        ctx.header("Cache-Control", "no-store").html(render(subject.get(), notes.list(subject.get()), csrfToken.apply(ctx)));
    }

    public void create(Context ctx) {
        Subject subject = signedIn(ctx);
        notes.create(subject, draft(ctx)).orElseThrow(() -> new ProblemException(403, "auth.forbidden", "You may not create notes."));
        ctx.redirect(PAGE, HttpStatus.SEE_OTHER);
    }

    public void update(Context ctx) {
        Subject subject = signedIn(ctx);
        String id = ctx.pathParam("id");
        if (!NotesService.looksLikeId(id) || notes.update(subject, id, draft(ctx)).isEmpty()) throw notFound();
        ctx.redirect(PAGE, HttpStatus.SEE_OTHER);
    }

    public void delete(Context ctx) {
        Subject subject = signedIn(ctx);
        String id = ctx.pathParam("id");
        if (!NotesService.looksLikeId(id) || !notes.delete(subject, id)) throw notFound();
        ctx.redirect(PAGE, HttpStatus.SEE_OTHER);
    }

    private Subject signedIn(Context ctx) {
        return caller.apply(ctx).orElseThrow(() -> new ProblemException(401, "auth.unauthenticated", "Log in first."));
    }

    private static NoteDraft draft(Context ctx) {
        String title = ctx.formParam("title");
        String body = ctx.formParam("body");
        try {
            return new NoteDraft(title, body == null ? "" : body.replace("\r\n", "\n"));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(400, "notes.invalid_note", e.getMessage());
        }
    }

    private static ProblemException notFound() {
        return new ProblemException(404, "notes.not_found", "There is no such note.");
    }

    static String render(Subject subject, List<Note> notes, String csrf) {
        var html = new StringBuilder(4096);
        String token = "<input type=\"hidden\" name=\"csrf\" value=\"" + escape(csrf) + "\">";
        html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>Notes</title><link rel=\"stylesheet\" href=\"/assets/doorman.css\"></head><body><main>")
                .append("<h1>Notes</h1><p>Signed in as ")
                .append(escape(String.valueOf(subject.attributes().getOrDefault("email", subject.id()))))
                .append(".</p><form method=\"post\" action=\"/logout\">").append(token)
                .append("<button type=\"submit\">Log out</button></form>")
                .append("<h2>New note</h2><form method=\"post\" action=\"/notes\">").append(token)
                .append("<label>Title <input name=\"title\" required maxlength=\"").append(NoteDraft.MAX_TITLE).append("\"></label>")
                .append("<label>Body <textarea name=\"body\" rows=\"4\" maxlength=\"").append(NoteDraft.MAX_BODY).append("\"></textarea></label>")
                .append("<button type=\"submit\">Save</button></form>")
                .append("<h2>Your notes</h2>");
        if (notes.isEmpty()) html.append("<p>No notes yet.</p>");
        for (Note note : notes) {
            String id = escape(note.id());
            html.append("<section><form method=\"post\" action=\"/notes/").append(id).append("\">").append(token)
                    .append("<label>Title <input name=\"title\" required maxlength=\"").append(NoteDraft.MAX_TITLE)
                    .append("\" value=\"").append(escape(note.title())).append("\"></label>")
                    .append("<label>Body <textarea name=\"body\" rows=\"4\" maxlength=\"").append(NoteDraft.MAX_BODY).append("\">")
                    .append(escape(note.body())).append("</textarea></label>")
                    .append("<p><small>Written ").append(note.createdAt()).append(", changed ").append(note.updatedAt()).append("</small></p>")
                    .append("<button type=\"submit\">Save changes</button></form>")
                    .append("<form method=\"post\" action=\"/notes/").append(id).append("/delete\">").append(token)
                    .append("<button type=\"submit\">Delete</button></form></section>");
        }
        return html.append("</main></body></html>").toString();
    }

    static String escape(String s) {
        var out = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
