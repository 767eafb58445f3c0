--liquibase formatted sql

--changeset simple-model-api:0005
-- The file a model version is built from (an ONNX graph), stored with the version and never changed.
CREATE TABLE model_artifacts (
    model_version_id BIGINT PRIMARY KEY REFERENCES model_versions (id) ON DELETE CASCADE,
    content          BYTEA  NOT NULL,
    sha256           TEXT   NOT NULL,
    size_bytes       BIGINT NOT NULL
);
--rollback DROP TABLE model_artifacts;
