--liquibase formatted sql

--changeset simple-model-api:0010
-- What each user's calls to each model version came to, per minute and status class ('2xx', '4xx', '5xx'). Servers
-- add their counts here in batches; the audit log stays the record of truth, and 'usage rebuild' recomputes rows from
-- it. Users and models by name, as the audit log has them, so a row outlives any change to either.
CREATE TABLE usage (
    user_name    TEXT           NOT NULL,
    model        TEXT           NOT NULL,
    version      INTEGER        NOT NULL,
    minute       TIMESTAMPTZ    NOT NULL,
    status_class TEXT           NOT NULL,
    requests     BIGINT         NOT NULL,
    instances    BIGINT         NOT NULL,
    errors       BIGINT         NOT NULL,
    -- The sum of the requests' durations; the audit log gives each to the microsecond, so sums are exact.
    duration_ms  NUMERIC(20, 3) NOT NULL,
    PRIMARY KEY (user_name, minute, model, version, status_class)
);
CREATE INDEX usage_model_minute ON usage (model, minute);
--rollback DROP TABLE usage;
