-- notes-api's own table, in its own SQLite file (notes.db), next to Doorman's. owner_id is Doorman's user id.
CREATE TABLE notes (
    id         TEXT PRIMARY KEY,
    owner_id   TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX notes_by_owner ON notes (owner_id, created_at);
