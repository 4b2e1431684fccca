-- upperback store, SQLite schema version 1.
-- Ids are UUIDs (16-byte BLOBs) made by the writer; times are Unix microseconds (UTC);
-- JSON documents are TEXT. Every table is STRICT, so a column holds only its declared type.

CREATE TABLE accounts (
    id            BLOB    PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    email         TEXT    NOT NULL UNIQUE,           -- normalised: trimmed, lower-case
    role          TEXT    NOT NULL CHECK (role IN ('person', 'clinician')),
    password_hash TEXT    NOT NULL,                  -- Argon2id PHC string
    created_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE assessments (
    id         BLOB    PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    owner_id   BLOB    REFERENCES accounts (id) ON DELETE CASCADE,   -- NULL: local mode
    created_at INTEGER NOT NULL,
    level      TEXT    NOT NULL CHECK (level IN ('self_care', 'within_days', 'within_24_hours',
                                                 'emergency_department', 'ambulance')),
    urgency    INTEGER NOT NULL CHECK (urgency BETWEEN 0 AND 4),     -- 4 = ambulance
    kb_version TEXT    NOT NULL,
    kb_digest  TEXT    NOT NULL,
    -- Serialised by the store itself (serde_json), so always valid JSON: no json_valid()
    -- check here, it would parse every document again on the hot path of group commit.
    input      TEXT    NOT NULL,
    result     TEXT    NOT NULL
) STRICT;
CREATE INDEX assessments_owner ON assessments (owner_id, created_at);

CREATE TABLE shares (
    assessment_id BLOB    NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    clinician_id  BLOB    NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    shared_at     INTEGER NOT NULL,
    PRIMARY KEY (clinician_id, assessment_id)
) STRICT;
CREATE INDEX shares_assessment ON shares (assessment_id);

CREATE TABLE sessions (
    token_hash BLOB    PRIMARY KEY NOT NULL CHECK (length(token_hash) = 32),  -- SHA-256 of the token
    account_id BLOB    NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_account ON sessions (account_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE episodes (
    id            BLOB    PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    owner_id      BLOB    REFERENCES accounts (id) ON DELETE CASCADE,  -- NULL: local mode
    created_at    INTEGER NOT NULL,
    started_at    INTEGER NOT NULL,
    location      TEXT,
    severity      INTEGER CHECK (severity BETWEEN 0 AND 10),
    triggers      TEXT    NOT NULL CHECK (json_valid(triggers)),       -- JSON array of strings
    assessment_id BLOB    REFERENCES assessments (id) ON DELETE SET NULL
) STRICT;
CREATE INDEX episodes_owner ON episodes (owner_id, started_at);
CREATE INDEX episodes_assessment ON episodes (assessment_id);

CREATE TABLE check_ins (
    id         BLOB    PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    episode_id BLOB    NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    at         INTEGER NOT NULL,
    severity   INTEGER NOT NULL CHECK (severity BETWEEN 0 AND 10),
    improving  INTEGER NOT NULL CHECK (improving IN (0, 1)),
    home_care  TEXT    NOT NULL CHECK (json_valid(home_care))          -- JSON array of strings
) STRICT;
CREATE INDEX check_ins_episode ON check_ins (episode_id, at);
