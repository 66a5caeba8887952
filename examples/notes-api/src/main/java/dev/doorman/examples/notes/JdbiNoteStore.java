package dev.doorman.examples.notes;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Notes in SQLite through JDBI; timestamps as ISO-8601 text. */
public final class JdbiNoteStore implements NoteStore {
    private final Jdbi jdbi;

    public JdbiNoteStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void insert(Note note) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO notes (id, owner_id, title, body, created_at, updated_at) "
                        + "VALUES (:id, :owner, :title, :body, :created, :updated)")
                .bind("id", note.id()).bind("owner", note.ownerId()).bind("title", note.title()).bind("body", note.body())
                .bind("created", note.createdAt().toString()).bind("updated", note.updatedAt().toString())
                .execute());
    }

    @Override
    public Optional<Note> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM notes WHERE id = :id").bind("id", id)
                .map(JdbiNoteStore::note).findOne());
    }

    @Override
    public List<Note> ownedBy(String ownerId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM notes WHERE owner_id = :owner ORDER BY created_at DESC, id")
                .bind("owner", ownerId).map(JdbiNoteStore::note).list());
    }

    @Override
    public boolean update(String id, String ownerId, NoteDraft draft, Instant updatedAt) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE notes SET title = :title, body = :body, updated_at = :updated "
                        + "WHERE id = :id AND owner_id = :owner")
                .bind("title", draft.title()).bind("body", draft.body()).bind("updated", updatedAt.toString())
                .bind("id", id).bind("owner", ownerId).execute()) == 1;
    }

    @Override
    public boolean delete(String id, String ownerId) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM notes WHERE id = :id AND owner_id = :owner")
                .bind("id", id).bind("owner", ownerId).execute()) == 1;
    }

    private static Note note(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Note(rs.getString("id"), rs.getString("owner_id"), rs.getString("title"), rs.getString("body"),
                Instant.parse(rs.getString("created_at")), Instant.parse(rs.getString("updated_at")));
    }
}
