//! The HTTP API and web page of `upperback serve`.
