-- One row that /healthz rewrites (at most about once a second): a store that can no longer
-- commit (a full disk, a read-only file) is then reported unhealthy, not only one that does
-- not answer.
CREATE TABLE health_probe (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    at INTEGER NOT NULL
);
