--liquibase formatted sql

--changeset simple-model-api:0009
-- Every change an operator's command makes, written in the same transaction as the change. Never a key.
CREATE TABLE operator_changes (
    id           BIGSERIAL PRIMARY KEY,
    changed_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    os_user      TEXT        NOT NULL,
    command      TEXT        NOT NULL,
    target       TEXT        NOT NULL,
    details      JSONB       NOT NULL DEFAULT '{}'
);
CREATE INDEX operator_changes_changed_at ON operator_changes (changed_at);
--rollback DROP TABLE operator_changes;
