-- One row that /healthz rewrites (at most about once a second per replica): a database that
-- can no longer commit (a full disk, read-only) is then reported unhealthy, not only one that
-- does not answer.
CREATE TABLE health_probe (
    id SMALLINT PRIMARY KEY CHECK (id = 1),
    at BIGINT NOT NULL
);
