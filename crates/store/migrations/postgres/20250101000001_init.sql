-- upperback store, PostgreSQL schema version 1.
-- Safe for several replicas: ids are random UUIDs made by the writing process (no sequences
-- or in-process counters), every rule is a constraint, and multi-statement changes run in
-- transactions. Plain SQL types only (uuid, text, timestamptz, json, bytea), so that
-- PostgreSQL-compatible databases (CockroachDB, YugabyteDB) accept it too.
-- Documents are `json`, not `jsonb`: the exact text is kept (an audit trail of what the
-- knowledge base said), and `\u0000` in a person's text is accepted.

CREATE TABLE accounts (
    id            uuid        PRIMARY KEY,
    email         text        NOT NULL UNIQUE,       -- normalised: trimmed, lower-case
    role          text        NOT NULL CHECK (role IN ('person', 'clinician')),
    password_hash text        NOT NULL,              -- Argon2id PHC string
    created_at    timestamptz NOT NULL
);

CREATE TABLE assessments (
    id         uuid        PRIMARY KEY,
    owner_id   uuid        REFERENCES accounts (id) ON DELETE CASCADE,   -- NULL: local mode
    created_at timestamptz NOT NULL,
    level      text        NOT NULL CHECK (level IN ('self_care', 'within_days', 'within_24_hours',
                                                     'emergency_department', 'ambulance')),
    urgency    smallint    NOT NULL CHECK (urgency BETWEEN 0 AND 4),     -- 4 = ambulance
    kb_version text        NOT NULL,
    kb_digest  text        NOT NULL,
    input      json        NOT NULL,
    result     json        NOT NULL
);
CREATE INDEX assessments_owner ON assessments (owner_id, created_at);

CREATE TABLE shares (
    assessment_id uuid        NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    clinician_id  uuid        NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    shared_at     timestamptz NOT NULL,
    PRIMARY KEY (clinician_id, assessment_id)
);
CREATE INDEX shares_assessment ON shares (assessment_id);

CREATE TABLE sessions (
    token_hash bytea       PRIMARY KEY CHECK (length(token_hash) = 32),  -- SHA-256 of the token
    account_id uuid        NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE episodes (
    id            uuid        PRIMARY KEY,
    owner_id      uuid        REFERENCES accounts (id) ON DELETE CASCADE,  -- NULL: local mode
    created_at    timestamptz NOT NULL,
    started_at    timestamptz NOT NULL,
    location      text,
    severity      smallint    CHECK (severity BETWEEN 0 AND 10),
    triggers      json        NOT NULL,                                    -- array of strings
    assessment_id uuid        REFERENCES assessments (id) ON DELETE SET NULL
);
CREATE INDEX episodes_owner ON episodes (owner_id, started_at);
CREATE INDEX episodes_assessment ON episodes (assessment_id);

CREATE TABLE check_ins (
    id         uuid        PRIMARY KEY,
    episode_id uuid        NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    at         timestamptz NOT NULL,
    severity   smallint    NOT NULL CHECK (severity BETWEEN 0 AND 10),
    improving  boolean     NOT NULL,
    home_care  json        NOT NULL                                        -- array of strings
);
CREATE INDEX check_ins_episode ON check_ins (episode_id, at);
