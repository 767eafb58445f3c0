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
}
