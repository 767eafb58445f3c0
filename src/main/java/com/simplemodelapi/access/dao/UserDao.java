package com.simplemodelapi.access.dao;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.Optional;

public interface UserDao {

    @SqlUpdate("INSERT INTO users (name) VALUES (:name)")
    @GetGeneratedKeys("id")
    long insert(@Bind("name") String name);

    @SqlQuery("SELECT id FROM users WHERE name = :name")
    Optional<Long> findIdByName(@Bind("name") String name);

    @SqlQuery("SELECT count(*) FROM users")
    long count();

    /** 0 when the user was already disabled. */
    @SqlUpdate("UPDATE users SET disabled_at = now() WHERE id = :id AND disabled_at IS NULL")
    int disable(@Bind("id") long id);

    /** 0 when the user was not disabled. */
    @SqlUpdate("UPDATE users SET disabled_at = NULL WHERE id = :id AND disabled_at IS NOT NULL")
    int enable(@Bind("id") long id);
}
