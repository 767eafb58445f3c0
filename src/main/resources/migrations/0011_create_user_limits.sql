--liquibase formatted sql

--changeset simple-model-api:0011
-- An operator's limits on a user: a request rate (a token bucket of 'burst' requests refilled at 'rate_per_second')
-- and instances per UTC day and month. A user without a row has no limits.
CREATE TABLE user_limits (
    user_id           BIGINT           PRIMARY KEY REFERENCES users (id),
    rate_per_second   DOUBLE PRECISION CHECK (rate_per_second > 0),
    burst             INTEGER          CHECK (burst > 0),
    daily_instances   BIGINT           CHECK (daily_instances >= 0),
    monthly_instances BIGINT           CHECK (monthly_instances >= 0),
    updated_at        TIMESTAMPTZ      NOT NULL DEFAULT now(),
    CHECK (burst IS NULL OR rate_per_second IS NOT NULL)
);
--rollback DROP TABLE user_limits;
