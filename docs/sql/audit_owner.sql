-- The audit trail's own owner (docs/audit.md, "Who owns the trail").
--
-- Run once, as a PostgreSQL superuser, after `manage.py migrate` has created
-- the table, on the database Confide uses:
--
--   psql "postgres://admin@db.example.org/confide" -v app_role=confide -f docs/sql/audit_owner.sql
--
-- app_role:   the role in Confide's DATABASE_URL (default: confide).
-- owner_role: the role that will own the trail (default: confide_audit_owner).
--
-- Afterwards the owner role, which nobody logs in as, owns audit_auditentry, its
-- id sequence and its trigger functions. The application's role may read the
-- trail, add entries and seal them (set seq, prev_hash, entry_hash and seal_key,
-- once, as the triggers allow), and nothing else: it cannot UPDATE another
-- column, DELETE, TRUNCATE, ALTER or DROP the table, nor disable its triggers,
-- because only the table's owner may. Migrations that change the audit table
-- are then run by a person holding the owner role (GRANT confide_audit_owner TO
-- a named administrator, for the release, and REVOKE it after), never by the app.
--
-- Safe to run again.

\set ON_ERROR_STOP on
\if :{?app_role}
\else
  \set app_role confide
\endif
\if :{?owner_role}
\else
  \set owner_role confide_audit_owner
\endif

BEGIN;

SELECT format('CREATE ROLE %I NOLOGIN', :'owner_role')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner_role') \gexec

-- The app must not be able to become the owner.
SELECT format('REVOKE %I FROM %I', :'owner_role', :'app_role')
FROM pg_auth_members m
JOIN pg_roles owner ON owner.oid = m.roleid AND owner.rolname = :'owner_role'
JOIN pg_roles app ON app.oid = m.member AND app.rolname = :'app_role' \gexec

-- The table (and with it its id sequence, which belongs to its id column) and
-- the functions its triggers run.
ALTER TABLE audit_auditentry OWNER TO :"owner_role";
ALTER FUNCTION audit_entry_append_only() OWNER TO :"owner_role";
ALTER FUNCTION audit_entry_arrives_unsealed() OWNER TO :"owner_role";

REVOKE ALL ON audit_auditentry FROM PUBLIC;
REVOKE ALL ON audit_auditentry FROM :"app_role";
GRANT SELECT, INSERT ON audit_auditentry TO :"app_role";
GRANT UPDATE (seq, prev_hash, entry_hash, seal_key) ON audit_auditentry TO :"app_role";
REVOKE ALL ON SEQUENCE audit_auditentry_id_seq FROM PUBLIC;
GRANT USAGE ON SEQUENCE audit_auditentry_id_seq TO :"app_role";

COMMIT;

-- What the application's role may do with the trail, for the record.
SELECT privilege_type, string_agg(column_name, ', ' ORDER BY column_name) AS columns
FROM information_schema.column_privileges
WHERE table_name = 'audit_auditentry' AND grantee = :'app_role'
GROUP BY privilege_type
ORDER BY privilege_type;
