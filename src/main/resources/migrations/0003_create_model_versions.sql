--liquibase formatted sql

--changeset simple-model-api:0003
-- A model version is never changed once stored: a new file makes the next version.
-- JSON rather than JSONB keeps the operator's key order, which a plug-in algorithm may rely on.
CREATE TABLE model_versions (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT        NOT NULL,
    version     INTEGER     NOT NULL CHECK (version > 0),
    description TEXT        NOT NULL DEFAULT '',
    algorithm   TEXT        NOT NULL,
    inputs      JSON       NOT NULL,
    parameters  JSON       NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (name, version)
);
--rollback DROP TABLE model_versions;
