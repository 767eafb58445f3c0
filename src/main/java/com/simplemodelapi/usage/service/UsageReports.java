package com.simplemodelapi.usage.service;

import com.simplemodelapi.usage.api.UsageBucket;
import com.simplemodelapi.usage.api.UsageReport;
import com.simplemodelapi.usage.api.UsageTotals;
import com.simplemodelapi.usage.dao.UsageBucketRow;
import com.simplemodelapi.usage.dao.UsageDao;
import org.jdbi.v3.core.Jdbi;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;

/** Usage as the usage table holds it, added up per bucket: a user's own, or every user's of one model. */
public final class UsageReports {
    private final Jdbi jdbi;

    public UsageReports(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** One user's usage, of one model or (null) all. */
    public List<UsageBucketRow> ofUser(String user, String model, UsagePeriod period) {
        return jdbi.withExtension(UsageDao.class, usage -> usage.bucketsOfUser(period.granularity().unit(), user,
                model, period.from(), period.to()));
    }

    /** Every user's usage of one model. */
    public List<UsageBucketRow> ofModel(String model, UsagePeriod period) {
        return jdbi.withExtension(UsageDao.class, usage -> usage.bucketsOfModel(period.granularity().unit(), model,
                period.from(), period.to()));
    }

    /** A user's usage as the API shows it to them. */
    public UsageReport report(String user, String model, UsagePeriod period) {
        List<UsageBucketRow> rows = ofUser(user, model, period);
        List<UsageBucket> buckets = rows.stream().map(row -> new UsageBucket(row.start(), row.model(), row.version(),
                row.requests(), row.instances(), row.errors(), mean(row.durationMs(), row.requests()))).toList();
        return new UsageReport(user, period.from(), period.to(), period.granularity().unit(), model, buckets,
                totals(rows));
    }

    public static UsageTotals totals(List<UsageBucketRow> rows) {
        long requests = 0;
        long instances = 0;
        long errors = 0;
        BigDecimal duration = BigDecimal.ZERO;
        for (UsageBucketRow row : rows) {
            requests += row.requests();
            instances += row.instances();
            errors += row.errors();
            duration = duration.add(row.durationMs());
        }
        return new UsageTotals(requests, instances, errors, mean(duration, requests));
    }

    /** The mean duration in milliseconds, to the microsecond; 0 for no requests. */
    public static double mean(BigDecimal durationMs, long requests) {
        return requests == 0 ? 0 : durationMs.divide(BigDecimal.valueOf(requests), MathContext.DECIMAL64)
                .setScale(3, RoundingMode.HALF_UP).doubleValue();
    }
}
