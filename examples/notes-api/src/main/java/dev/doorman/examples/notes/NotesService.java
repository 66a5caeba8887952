package dev.doorman.examples.notes;

import dev.doorman.authz.AccessRequest;
import dev.doorman.authz.Authorizer;
import dev.doorman.authz.Resource;
import dev.doorman.authz.Subject;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Notes, with the policy engine asked before every read and every write. An empty answer means "not found" whether
 * the note is absent or someone else's: the caller cannot tell the two apart, so note ids are no oracle.
 */
public final class NotesService {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final NoteStore store;
    private final Authorizer authorizer;
    private final Clock clock;

    public NotesService(NoteStore store, Authorizer authorizer, Clock clock) {
        this.store = store;
        this.authorizer = authorizer;
        this.clock = clock;
    }

    /** The caller's notes, newest first. The query selects by owner; each row is still put to the policy. */
    public List<Note> list(Subject caller) {
        return store.ownedBy(caller.id()).stream().filter(n -> allowed(caller, "note:read", n.id(), n.ownerId())).toList();
    }

    /** Empty when the policy refuses (a caller that is not a person). */
    public Optional<Note> create(Subject caller, NoteDraft draft) {
        String id = newId();
        if (!allowed(caller, "note:create", id, caller.id())) return Optional.empty();
        Instant now = now();
        var note = new Note(id, caller.id(), draft.title(), draft.body(), now, now);
        store.insert(note);
        return Optional.of(note);
    }

    public Optional<Note> read(Subject caller, String id) {
        return store.find(id).filter(n -> allowed(caller, "note:read", n.id(), n.ownerId()));
    }

    public Optional<Note> update(Subject caller, String id, NoteDraft draft) {
        Optional<Note> note = store.find(id).filter(n -> allowed(caller, "note:update", n.id(), n.ownerId()));
        if (note.isEmpty()) return Optional.empty();
        Instant now = now();
        if (!store.update(id, caller.id(), draft, now)) return Optional.empty();   // deleted meanwhile
        return Optional.of(new Note(id, caller.id(), draft.title(), draft.body(), note.get().createdAt(), now));
    }

    public boolean delete(Subject caller, String id) {
        return store.find(id).filter(n -> allowed(caller, "note:delete", n.id(), n.ownerId()))
                .map(n -> store.delete(id, caller.id())).orElse(false);
    }

    private boolean allowed(Subject caller, String action, String noteId, String ownerId) {
        return authorizer.isAllowed(AccessRequest.of(caller, action, Resource.of("note", noteId, Map.of("ownerId", ownerId))));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** 128 random bits: ids that cannot be guessed or counted. */
    private static String newId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return "n_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static boolean looksLikeId(String id) {
        return id != null && id.matches("n_[A-Za-z0-9_-]{22}");
    }
}
