package com.simplemodelapi.access.dao;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;

public interface ApiKeyDao {

    @SqlUpdate("INSERT INTO api_keys (user_id, key_hash) VALUES (:userId, :keyHash)")
    void insert(@Bind("userId") long userId, @Bind("keyHash") String keyHash);

    @SqlUpdate("UPDATE api_keys SET revoked_at = now() WHERE key_hash = :keyHash AND revoked_at IS NULL")
    int revoke(@Bind("keyHash") String keyHash);

    @SqlQuery("SELECT u.name AS user_name, k.key_hash FROM api_keys k JOIN users u ON u.id = k.user_id"
            + " WHERE k.revoked_at IS NULL AND u.disabled_at IS NULL")
    @RegisterConstructorMapper(ActiveKey.class)
    List<ActiveKey> listActive();

    @SqlQuery("SELECT k.id, u.name AS user_name FROM api_keys k JOIN users u ON u.id = k.user_id"
            + " WHERE k.key_hash = :keyHash")
    @RegisterConstructorMapper(KeyOwner.class)
    KeyOwner findOwner(@Bind("keyHash") String keyHash);
}
