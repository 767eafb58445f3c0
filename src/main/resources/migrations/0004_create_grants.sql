--liquibase formatted sql

--changeset simple-model-api:0004
-- A grant names a model, not a version: it covers every version, present and future.
CREATE TABLE grants (
    user_id    BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    model_name TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, model_name)
);
--rollback DROP TABLE grants;
