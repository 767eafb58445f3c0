package com.simplemodelapi.usage.dao;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

public interface UsageDao {
    String COLUMNS = "user_name, model, version, minute, status_class, requests, instances, errors, duration_ms";
    String VALUES = ":userName, :model, :version, :minute, :statusClass, :requests, :instances, :errors, :durationMs";

    /** Adds the rows' counts to what is stored, which other servers may be adding to as well. */
    @SqlBatch("INSERT INTO usage (" + COLUMNS + ") VALUES (" + VALUES + ")"
            + " ON CONFLICT (user_name, minute, model, version, status_class) DO UPDATE SET"
            + " requests = usage.requests + excluded.requests, instances = usage.instances + excluded.instances,"
            + " errors = usage.errors + excluded.errors, duration_ms = usage.duration_ms + excluded.duration_ms")
    void add(@BindMethods Collection<UsageRow> rows);

    /** Writes the rows as they are; for a rebuild, after {@link #deleteBetween}. */
    @SqlBatch("INSERT INTO usage (" + COLUMNS + ") VALUES (" + VALUES + ")")
    void insert(@BindMethods Collection<UsageRow> rows);

    /** Deletes every row of the minutes from {@code first} to {@code last}, both included. */
    @SqlUpdate("DELETE FROM usage WHERE minute >= :first AND minute <= :last")
    int deleteBetween(@Bind("first") Instant first, @Bind("last") Instant last);

    @SqlQuery("SELECT " + COLUMNS + " FROM usage WHERE minute >= :from AND minute < :to"
            + " ORDER BY minute, user_name, model, version, status_class")
    @RegisterConstructorMapper(UsageRow.class)
    List<UsageRow> rowsBetween(@Bind("from") Instant from, @Bind("to") Instant to);

    /**
     * One user's usage from {@code from} (included) to {@code to} (excluded), added up per bucket ('minute', 'hour' or
     * 'day', in UTC) and model version; {@code model} null for every model.
     */
    @SqlQuery("SELECT date_trunc(:unit, minute, 'UTC') AS start, user_name, model, version, sum(requests) AS requests,"
            + " sum(instances) AS instances, sum(errors) AS errors, sum(duration_ms) AS duration_ms FROM usage"
            + " WHERE user_name = :user AND minute >= :from AND minute < :to"
            + " AND (CAST(:model AS text) IS NULL OR model = :model)"
            + " GROUP BY 1, user_name, model, version ORDER BY 1, model, version")
    @RegisterConstructorMapper(UsageBucketRow.class)
    List<UsageBucketRow> bucketsOfUser(@Bind("unit") String unit, @Bind("user") String user,
                                       @Bind("model") String model, @Bind("from") Instant from,
                                       @Bind("to") Instant to);

    /** Every user's usage of one model, as {@link #bucketsOfUser}. */
    @SqlQuery("SELECT date_trunc(:unit, minute, 'UTC') AS start, user_name, model, version, sum(requests) AS requests,"
            + " sum(instances) AS instances, sum(errors) AS errors, sum(duration_ms) AS duration_ms FROM usage"
            + " WHERE model = :model AND minute >= :from AND minute < :to"
            + " GROUP BY 1, user_name, model, version ORDER BY 1, user_name, version")
    @RegisterConstructorMapper(UsageBucketRow.class)
    List<UsageBucketRow> bucketsOfModel(@Bind("unit") String unit, @Bind("model") String model,
                                        @Bind("from") Instant from, @Bind("to") Instant to);

    /** The instances predicted for each of these users since the start of the day and of the month given. */
    @SqlQuery("SELECT user_name, COALESCE(sum(instances) FILTER (WHERE minute >= :day), 0) AS since_day,"
            + " COALESCE(sum(instances), 0) AS since_month FROM usage"
            + " WHERE user_name IN (<users>) AND minute >= :month GROUP BY user_name")
    @RegisterConstructorMapper(InstanceTotalRow.class)
    List<InstanceTotalRow> instanceTotals(@BindList("users") Collection<String> users, @Bind("day") Instant dayStart,
                                          @Bind("month") Instant monthStart);
}
