package com.simplemodelapi.access.dao;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;

public interface GrantDao {
    String GRANT_ROW = "SELECT u.name AS \"user\", g.model_name AS model, g.created_at"
            + " FROM grants g JOIN users u ON u.id = g.user_id";

    @SqlUpdate("INSERT INTO grants (user_id, model_name) VALUES (:userId, :modelName) ON CONFLICT DO NOTHING")
    int insert(@Bind("userId") long userId, @Bind("modelName") String modelName);

    @SqlUpdate("DELETE FROM grants WHERE user_id = :userId AND model_name = :modelName")
    int delete(@Bind("userId") long userId, @Bind("modelName") String modelName);

    @SqlQuery("SELECT u.name AS user_name, g.model_name FROM grants g JOIN users u ON u.id = g.user_id")
    @RegisterConstructorMapper(Grant.class)
    List<Grant> listAll();

    @SqlQuery(GRANT_ROW + " ORDER BY u.name, g.model_name")
    @RegisterConstructorMapper(GrantRow.class)
    List<GrantRow> listRows();

    @SqlQuery(GRANT_ROW + " WHERE g.user_id = :userId ORDER BY g.model_name")
    @RegisterConstructorMapper(GrantRow.class)
    List<GrantRow> listRowsForUser(@Bind("userId") long userId);

    @SqlQuery(GRANT_ROW + " WHERE g.model_name = :model ORDER BY u.name")
    @RegisterConstructorMapper(GrantRow.class)
    List<GrantRow> listRowsForModel(@Bind("model") String model);
}
