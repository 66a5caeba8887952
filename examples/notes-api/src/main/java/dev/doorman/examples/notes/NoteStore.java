package dev.doorman.examples.notes;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The app's own notes table. Writes also match the owner, so a wrong id from a bug can never touch another's note. */
public interface NoteStore {
    void insert(Note note);

    Optional<Note> find(String id);

    List<Note> ownedBy(String ownerId);

    boolean update(String id, String ownerId, NoteDraft draft, Instant updatedAt);

    boolean delete(String id, String ownerId);
}
