//! Persistence: one store trait, two backends (embedded SQLite by default, PostgreSQL to scale out).
