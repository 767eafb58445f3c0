--liquibase formatted sql

--changeset simple-model-api:0007
-- The first 8 characters after "sma_", so operators can tell keys apart without ever seeing one. Keys made before
-- this have none.
ALTER TABLE api_keys ADD COLUMN prefix TEXT;
--rollback ALTER TABLE api_keys DROP COLUMN prefix;
