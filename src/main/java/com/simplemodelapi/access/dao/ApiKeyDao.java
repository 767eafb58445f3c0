package com.simplemodelapi.access.dao;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;
import java.util.Optional;

@RegisterConstructorMapper(KeyRow.class)
public interface ApiKeyDao {
    String KEY_ROW = "SELECT k.id, u.name AS \"user\", k.prefix, k.created_at, k.revoked_at"
            + " FROM api_keys k JOIN users u ON u.id = k.user_id";

    /** Returns the new key's id. */
    @SqlUpdate("INSERT INTO api_keys (user_id, key_hash, prefix) VALUES (:userId, :keyHash, :prefix)")
    @GetGeneratedKeys("id")
    long insert(@Bind("userId") long userId, @Bind("keyHash") String keyHash, @Bind("prefix") String prefix);

    @SqlUpdate("UPDATE api_keys SET revoked_at = now() WHERE id = :id AND revoked_at IS NULL")
    int revoke(@Bind("id") long id);

    @SqlQuery(KEY_ROW + " WHERE k.id = :id")
    Optional<KeyRow> findById(@Bind("id") long id);

    @SqlQuery(KEY_ROW + " WHERE k.key_hash = :keyHash")
    Optional<KeyRow> findByHash(@Bind("keyHash") String keyHash);

    @SqlQuery(KEY_ROW + " WHERE k.user_id = :userId ORDER BY k.id")
    List<KeyRow> listForUser(@Bind("userId") long userId);

    @SqlQuery(KEY_ROW + " ORDER BY k.id")
    List<KeyRow> listAll();

    @SqlQuery("SELECT k.id, u.name AS user_name, k.key_hash FROM api_keys k JOIN users u ON u.id = k.user_id"
            + " WHERE k.revoked_at IS NULL AND u.disabled_at IS NULL")
    @RegisterConstructorMapper(ActiveKey.class)
    List<ActiveKey> listActive();

}
