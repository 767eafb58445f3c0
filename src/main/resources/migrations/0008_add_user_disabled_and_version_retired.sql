--liquibase formatted sql

--changeset simple-model-api:0008
-- Users are disabled and versions retired, never deleted, so every audit line keeps meaning something.
ALTER TABLE users ADD COLUMN disabled_at TIMESTAMPTZ;
ALTER TABLE model_versions ADD COLUMN retired_at TIMESTAMPTZ;
--rollback ALTER TABLE model_versions DROP COLUMN retired_at;
--rollback ALTER TABLE users DROP COLUMN disabled_at;
