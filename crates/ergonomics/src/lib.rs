//! Workstation and posture scoring: RULA and ROSA, table for table.
