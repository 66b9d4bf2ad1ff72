-- An ordinary role that owns the database: no superuser, no BYPASSRLS.
CREATE ROLE techplan LOGIN PASSWORD 'techplan' NOSUPERUSER NOCREATEROLE NOBYPASSRLS;
CREATE DATABASE techplan OWNER techplan;
