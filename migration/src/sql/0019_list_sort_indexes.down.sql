DROP INDEX tasks_created_idx;
DROP INDEX tasks_due_idx;
DROP INDEX activities_created_idx;
DROP INDEX activities_occurred_idx;
