-- PostgreSQL roles for the navigator: one that owns the schema and runs the
-- migrations, one that the app works as.
--
--   navigator_owner  owns the schema and every table; MIGRATION_DATABASE_URL
--   navigator_app    reads and writes content, accounts, sessions and usage
--                    counts; may only add to and read the audit log; cannot
--                    create, alter or drop anything;        DATABASE_URL
--
-- Run it once as a superuser, connected to the navigator's database (it is
-- safe to run again, for example on a database migrated before the roles
-- existed: it then hands the tables to navigator_owner):
--
--   psql -v ON_ERROR_STOP=1 -d navigator -f knowledge/migrations/roles.sql
--   psql -d navigator -c '\password navigator_owner'
--   psql -d navigator -c '\password navigator_app'
--
-- then set MIGRATION_DATABASE_URL=postgresql://navigator_owner:…@host/navigator
-- and DATABASE_URL=postgresql://navigator_app:…@host/navigator. The api (at
-- start-up) and `python -m knowledge.cli migrate` migrate as the owner; tables
-- a later migration creates get navigator_app's privileges from the default
-- privileges below, and migration 0005 takes UPDATE, DELETE and TRUNCATE on
-- audit_log away from every role but its owner. (The owner could still drop
-- the trigger that keeps the log append-only, so keep its password for
-- deployments only.)

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'navigator_owner') THEN
    CREATE ROLE navigator_owner LOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'navigator_app') THEN
    CREATE ROLE navigator_app LOGIN;
  END IF;
  EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO navigator_owner, navigator_app',
                 current_database());
END $$;

-- The owner owns the schema; nobody else may create objects in it.
ALTER SCHEMA public OWNER TO navigator_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO navigator_app;

-- Tables made before the roles existed (by another role) go to the owner.
DO $$
DECLARE name text;
BEGIN
  FOR name IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
    EXECUTE format('ALTER TABLE public.%I OWNER TO navigator_owner', name);
  END LOOP;
  IF to_regprocedure('public.audit_log_append_only()') IS NOT NULL THEN
    ALTER FUNCTION public.audit_log_append_only() OWNER TO navigator_owner;
  END IF;
END $$;

-- The app: rows in every table there is, and in every table the owner makes later.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO navigator_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO navigator_app;
ALTER DEFAULT PRIVILEGES FOR ROLE navigator_owner IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO navigator_app;
ALTER DEFAULT PRIVILEGES FOR ROLE navigator_owner IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO navigator_app;

-- ... except the audit log, which the app may only add to and read, and
-- Alembic's record of the schema version, which is the owner's business.
DO $$
BEGIN
  IF to_regclass('public.audit_log') IS NOT NULL THEN
    REVOKE UPDATE, DELETE, TRUNCATE ON public.audit_log FROM navigator_app;
  END IF;
  IF to_regclass('public.alembic_version') IS NOT NULL THEN
    REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON public.alembic_version FROM navigator_app;
  END IF;
END $$;
