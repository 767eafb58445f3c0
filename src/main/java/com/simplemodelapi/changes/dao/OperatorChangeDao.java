package com.simplemodelapi.changes.dao;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.List;

public interface OperatorChangeDao {

    /**
     * Stamped when the row is written rather than when its transaction began (the column's default), so that the time
     * is as close to the commit as it can be while never after it.
     */
    @SqlUpdate("INSERT INTO operator_changes (changed_at, os_user, command, target, details)"
            + " VALUES (clock_timestamp(), :osUser, :command, :target, CAST(:details AS jsonb))")
    @GetGeneratedKeys("id")
    long insert(@Bind("osUser") String osUser, @Bind("command") String command, @Bind("target") String target,
                @Bind("details") String detailsJson);

    /** The newest {@code limit} changes made at or after {@code since}, newest first. */
    @SqlQuery("SELECT id, changed_at, os_user, command, target, details::text AS details FROM operator_changes"
            + " WHERE changed_at >= :since ORDER BY changed_at DESC, id DESC LIMIT :limit")
    @RegisterConstructorMapper(OperatorChange.class)
    List<OperatorChange> newestSince(@Bind("since") Instant since, @Bind("limit") int limit);

    @SqlQuery("SELECT count(*) FROM operator_changes WHERE changed_at >= :since")
    long countSince(@Bind("since") Instant since);
}
