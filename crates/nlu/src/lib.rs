//! Free-text reader: turns a person's own words into findings with context (negation, time, experiencer).
