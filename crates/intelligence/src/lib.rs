//! Intelligence: rep activities, call plans, tasks, account health, sales metrics and notifications.

pub mod entities;
