-- Two roles for one Common Ground database (ASVS V13.2.2): the owner runs migrations (DATABASE_MIGRATE_URL),
-- the site's role only reads and writes rows (DATABASE_URL) and cannot create, alter or drop tables.
-- Run as a PostgreSQL superuser; scripts/postgres.sh runs it for the test server, operators as in
-- docs/deployment.md:
--   psql -v ON_ERROR_STOP=1 -v owner=commonground_migrate -v site=commonground_site \
--        -v database=commonground -f scripts/postgres-roles.sql
-- then give both roles passwords (\password commonground_migrate, \password commonground_site).
CREATE ROLE :"owner" LOGIN;
CREATE ROLE :"site" LOGIN;
CREATE DATABASE :"database" OWNER :"owner";
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"database" TO :"site";
\connect :"database"
-- Before PostgreSQL 15 "public" belongs to the bootstrap superuser, so the owner could not create its
-- tables once PUBLIC may not; from 15 on it belongs to the database's owner already.
ALTER SCHEMA public OWNER TO :"owner";
-- PostgreSQL 15 and later already keep everyone but the database owner from creating in "public".
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"site";
-- Every table and sequence the owner's migrations create: rows only, for the site.
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"site";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO :"site";
