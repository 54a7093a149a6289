-- Postgres V11 takes UPDATE, DELETE and TRUNCATE on the audit tables away from PUBLIC and the application role
-- dg_app. SQLite has no roles or privileges: its audit_log stays guarded by the append-only triggers of V3, and
-- the file's permissions decide who may write it. This version exists so both folders hold the same versions.
SELECT 1;
