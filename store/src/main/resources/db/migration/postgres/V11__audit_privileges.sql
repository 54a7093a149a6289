-- Audit tables are immutable by privilege, not only by trigger (docs/OPERATIONS.md, "Database roles").
-- The append-only trigger of V3 still guards the table owner (an owner can always disable a trigger, so a
-- service that must not be able to rewrite history connects as a role that does not own the tables).
--
-- 1. Nobody gets UPDATE, DELETE or TRUNCATE on the audit tables through PUBLIC.
-- 2. The group role dg_app (NOLOGIN) is the application's role: it may read and write every table of this schema
--    except that it can only SELECT and INSERT audit_log and dg_checkpoints. Operators grant it to the login role
--    of DG_DATABASE_URL (GRANT dg_app TO <login>); the migration owner stays a different role. Tables created later
--    by the migration owner get the same grants by default. When the migration owner may not create roles, the
--    role part is skipped with a notice and the operator creates dg_app by hand (same statements).

REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;
REVOKE UPDATE, DELETE, TRUNCATE ON dg_checkpoints FROM PUBLIC;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dg_app') THEN
        BEGIN
            CREATE ROLE dg_app NOLOGIN;
        EXCEPTION
            WHEN duplicate_object THEN
                NULL;
            WHEN insufficient_privilege THEN
                RAISE NOTICE 'role dg_app not created: the migration owner lacks CREATEROLE (see docs/OPERATIONS.md)';
                RETURN;
        END;
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO dg_app', current_schema());
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO dg_app', current_schema());
    EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA %I TO dg_app', current_schema());
    REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM dg_app;
    REVOKE UPDATE, DELETE, TRUNCATE ON dg_checkpoints FROM dg_app;
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO dg_app',
                   current_schema());
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO dg_app',
                   current_schema());
END
$$;
