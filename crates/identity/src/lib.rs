//! Identity: internal users, portal users, roles, permissions and their sessions.

pub mod entities;
