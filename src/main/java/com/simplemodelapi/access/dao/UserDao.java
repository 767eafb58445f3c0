package com.simplemodelapi.access.dao;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;
import java.util.Optional;

@RegisterConstructorMapper(UserRow.class)
public interface UserDao {
    String USER_ROW = "SELECT u.name, u.created_at, u.disabled_at,"
            + " (SELECT count(*) FROM api_keys k WHERE k.user_id = u.id AND k.revoked_at IS NULL) AS active_keys,"
            + " (SELECT count(*) FROM grants g WHERE g.user_id = u.id) AS grants"
            + " FROM users u";

    @SqlUpdate("INSERT INTO users (name) VALUES (:name)")
    @GetGeneratedKeys("id")
    long insert(@Bind("name") String name);

    @SqlQuery("SELECT id FROM users WHERE name = :name")
    Optional<Long> findIdByName(@Bind("name") String name);

    @SqlQuery("SELECT count(*) FROM users")
    long count();

    @SqlQuery(USER_ROW + " ORDER BY u.name")
    List<UserRow> listRows();

    @SqlQuery(USER_ROW + " WHERE u.name = :name")
    Optional<UserRow> findRow(@Bind("name") String name);

    /** 0 when the user was already disabled. */
    @SqlUpdate("UPDATE users SET disabled_at = now() WHERE id = :id AND disabled_at IS NULL")
    int disable(@Bind("id") long id);

    /** 0 when the user was not disabled. */
    @SqlUpdate("UPDATE users SET disabled_at = NULL WHERE id = :id AND disabled_at IS NOT NULL")
    int enable(@Bind("id") long id);
}
