package com.simplemodelapi.access.dao;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;
import java.util.Optional;

@RegisterConstructorMapper(UserLimitsRow.class)
public interface UserLimitsDao {
    String ROW = "SELECT u.name AS user_name, l.rate_per_second, l.burst, l.daily_instances, l.monthly_instances,"
            + " l.updated_at FROM user_limits l JOIN users u ON u.id = l.user_id";

    @SqlUpdate("INSERT INTO user_limits (user_id, rate_per_second, burst, daily_instances, monthly_instances)"
            + " VALUES (:userId, :rate, :burst, :daily, :monthly)"
            + " ON CONFLICT (user_id) DO UPDATE SET rate_per_second = excluded.rate_per_second,"
            + " burst = excluded.burst, daily_instances = excluded.daily_instances,"
            + " monthly_instances = excluded.monthly_instances, updated_at = now()")
    void put(@Bind("userId") long userId, @Bind("rate") Double ratePerSecond, @Bind("burst") Integer burst,
             @Bind("daily") Long dailyInstances, @Bind("monthly") Long monthlyInstances);

    /** 0 when the user had no limits. */
    @SqlUpdate("DELETE FROM user_limits WHERE user_id = :userId")
    int delete(@Bind("userId") long userId);

    @SqlQuery(ROW + " WHERE l.user_id = :userId")
    Optional<UserLimitsRow> find(@Bind("userId") long userId);

    @SqlQuery(ROW + " WHERE u.disabled_at IS NULL")
    List<UserLimitsRow> listOfEnabledUsers();
}
