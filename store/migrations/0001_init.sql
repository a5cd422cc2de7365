-- faqbot's records. One schema for SQLite and PostgreSQL: types both
-- accept, times as Unix milliseconds (UTC), random text IDs.

CREATE TABLE meta (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE exchanges (
    id             TEXT PRIMARY KEY,
    at             BIGINT NOT NULL,
    transport      TEXT NOT NULL,
    conversation   TEXT NOT NULL DEFAULT '',
    asker          TEXT NOT NULL DEFAULT '',
    question       TEXT NOT NULL,
    answer         TEXT NOT NULL,
    answered       BOOLEAN NOT NULL,
    escalate       BOOLEAN NOT NULL,
    reason         TEXT NOT NULL DEFAULT '',
    -- anchors repeats the cited anchors, space-separated in citation
    -- order, so that the export reads one row per exchange.
    anchors        TEXT NOT NULL DEFAULT '',
    mode           TEXT NOT NULL DEFAULT '',
    corpus_version TEXT NOT NULL DEFAULT '',
    latency_us     BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX exchanges_at ON exchanges (at);
CREATE INDEX exchanges_asker ON exchanges (asker);

CREATE TABLE citations (
    exchange_id TEXT NOT NULL REFERENCES exchanges (id) ON DELETE CASCADE,
    rank        INTEGER NOT NULL,
    anchor      TEXT NOT NULL,
    title       TEXT NOT NULL,
    document    TEXT NOT NULL,
    PRIMARY KEY (exchange_id, rank)
);
CREATE INDEX citations_anchor ON citations (document, anchor);

CREATE TABLE feedback (
    id             TEXT PRIMARY KEY,
    exchange_id    TEXT REFERENCES exchanges (id) ON DELETE CASCADE,
    at             BIGINT NOT NULL,
    kind           TEXT NOT NULL,
    user_id        TEXT NOT NULL DEFAULT '',
    comment        TEXT NOT NULL DEFAULT '',
    transport      TEXT NOT NULL DEFAULT '',
    conversation   TEXT NOT NULL DEFAULT '',
    message        TEXT NOT NULL DEFAULT '',
    question       TEXT NOT NULL DEFAULT '',
    asker          TEXT NOT NULL DEFAULT '',
    corpus_version TEXT NOT NULL DEFAULT ''
);
CREATE INDEX feedback_exchange ON feedback (exchange_id);
CREATE INDEX feedback_at ON feedback (at);
CREATE INDEX feedback_user ON feedback (user_id);
CREATE INDEX feedback_asker ON feedback (asker);

CREATE TABLE escalations (
    id             TEXT PRIMARY KEY,
    dedupe_key     TEXT UNIQUE,
    exchange_id    TEXT REFERENCES exchanges (id) ON DELETE SET NULL,
    at             BIGINT NOT NULL,
    reason         TEXT NOT NULL DEFAULT '',
    transport      TEXT NOT NULL DEFAULT '',
    conversation   TEXT NOT NULL DEFAULT '',
    link           TEXT NOT NULL DEFAULT '',
    asker          TEXT NOT NULL DEFAULT '',
    by_user        TEXT NOT NULL DEFAULT '',
    question       TEXT NOT NULL DEFAULT '',
    draft          TEXT NOT NULL DEFAULT '',
    sources        TEXT NOT NULL DEFAULT '',
    corpus_version TEXT NOT NULL DEFAULT '',
    destination    TEXT NOT NULL DEFAULT '',
    delivery       TEXT NOT NULL,
    delivery_error TEXT NOT NULL DEFAULT '',
    state          TEXT NOT NULL,
    resolved_at    BIGINT,
    resolved_by    TEXT NOT NULL DEFAULT '',
    human_answer   TEXT NOT NULL DEFAULT '',
    imported       BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX escalations_state ON escalations (state, at);
CREATE INDEX escalations_at ON escalations (at);
CREATE INDEX escalations_exchange ON escalations (exchange_id);
CREATE INDEX escalations_asker ON escalations (asker);

CREATE TABLE claims (
    claim_key TEXT PRIMARY KEY,
    at        BIGINT NOT NULL
);
CREATE INDEX claims_at ON claims (at);
