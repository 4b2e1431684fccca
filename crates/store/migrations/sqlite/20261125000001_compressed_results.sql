-- upperback store, SQLite schema version 2: results may be kept compressed.
--
-- An assessment's result is ~10 KB of JSON, most of it the knowledge base's own sentences
-- (advice, warning signs, sources). Compressed with zstd against a dictionary made of the
-- knowledge base it is ~1 KB, so a commit writes (and a checkpoint copies) a tenth of the
-- pages. A row holds its result either as JSON text (`result`, as every row of version 1
-- does) or as a zstd frame (`result_zstd`) with the dictionary it needs
-- (`result_dictionary`); dictionaries are kept for ever, so every row stays readable.
--
-- SQLite cannot change a column's type, so `assessments` is rebuilt the documented
-- twelve-step way: create the new table, copy every row, drop the old table, rename the new
-- one. This needs foreign key enforcement OFF, or dropping the old table would delete its
-- rows first and so cascade to `shares` and `episodes`: the store runs its migrations on a
-- connection of their own with enforcement off (`PRAGMA foreign_keys` cannot change inside
-- the transaction a migration runs in), and checks every reference afterwards
-- (`PRAGMA foreign_key_check`). `shares` and `episodes` name `assessments`, so they refer to
-- the new table; rows keep their ids, so every reference still holds.

CREATE TABLE result_dictionaries (
    id     INTEGER PRIMARY KEY,
    digest BLOB    NOT NULL UNIQUE CHECK (length(digest) = 32),   -- SHA-256 of `bytes`
    bytes  BLOB    NOT NULL
) STRICT;

CREATE TABLE assessments_v2 (
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
    result     TEXT,                                            -- the JSON text, or NULL
    result_zstd BLOB,                                           -- or the JSON as a zstd frame
    result_dictionary INTEGER REFERENCES result_dictionaries (id),  -- its dictionary
    CHECK ((result IS NULL) <> (result_zstd IS NULL)),
    CHECK ((result_zstd IS NULL) = (result_dictionary IS NULL))
) STRICT;

INSERT INTO assessments_v2
    (id, owner_id, created_at, level, urgency, kb_version, kb_digest, input, result)
SELECT id, owner_id, created_at, level, urgency, kb_version, kb_digest, input, result
FROM assessments;

DROP TABLE assessments;
ALTER TABLE assessments_v2 RENAME TO assessments;
CREATE INDEX assessments_owner ON assessments (owner_id, created_at);
