-- Notes, one row each, owned by the ID token's `sub`. AUTOINCREMENT so a
-- deleted note's id is never handed out again.
CREATE TABLE notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    updated_ms BIGINT NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX notes_by_owner ON notes (owner, updated_ms DESC, id DESC);
-- The JSON data file of earlier versions, imported at most once.
CREATE TABLE json_imports (
    source TEXT NOT NULL,
    notes BIGINT NOT NULL,
    imported_ms BIGINT NOT NULL
);
