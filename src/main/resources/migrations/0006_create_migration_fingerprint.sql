--liquibase formatted sql

--changeset simple-model-api:0006
-- One row, written by the server after Liquibase has applied every migration: which migration files those were and
-- what databasechangelog held then. While both still match, a start skips Liquibase (app/MigrationFingerprint).
CREATE TABLE migration_fingerprint (
    id              BOOLEAN     PRIMARY KEY DEFAULT TRUE CHECK (id),
    migration_files TEXT        NOT NULL,
    changelog       TEXT        NOT NULL,
    recorded_at     TIMESTAMPTZ NOT NULL
);
--rollback DROP TABLE migration_fingerprint;
