-- Several replicas on one PostgreSQL database share the corpus they serve
-- and the embeddings they computed. (SQLite has the tables too; one
-- process does not use them.) Numbered 0100 to stay clear of the
-- migrations other work adds meanwhile.

-- corpus_revisions are the corpora refreshes shared, newest the highest
-- revision; corpus_pages hold their Markdown as it was read, so that a
-- replica can load a revision after its source has changed or gone.
CREATE TABLE corpus_revisions (
    revision BIGINT PRIMARY KEY,
    at       BIGINT NOT NULL,
    version  TEXT NOT NULL,
    source   TEXT NOT NULL,
    folder   BOOLEAN NOT NULL,
    replica  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE corpus_pages (
    revision BIGINT NOT NULL REFERENCES corpus_revisions (revision) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name     TEXT NOT NULL,
    file     TEXT NOT NULL,
    data     BYTEA NOT NULL,
    PRIMARY KEY (revision, position)
);

-- embeddings are vectors by model and hash of the text embedded (unit
-- length, little-endian float32); at is when a build last used them.
CREATE TABLE embeddings (
    model     TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    vector    BYTEA NOT NULL,
    at        BIGINT NOT NULL,
    PRIMARY KEY (model, text_hash)
);
CREATE INDEX embeddings_at ON embeddings (at);

-- socket_replicas are the replicas holding a Slack Socket Mode connection;
-- each writes at while it runs. Slack allows 10 connections per app.
CREATE TABLE socket_replicas (
    replica TEXT PRIMARY KEY,
    started BIGINT NOT NULL,
    at      BIGINT NOT NULL
);
