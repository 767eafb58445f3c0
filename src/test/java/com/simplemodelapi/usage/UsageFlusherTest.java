package com.simplemodelapi.usage;

import com.codahale.metrics.MetricRegistry;
import com.simplemodelapi.audit.AuditEvent;
import com.simplemodelapi.testing.Migrate;
import com.simplemodelapi.testing.RestartablePostgres;
import com.simplemodelapi.testing.SettableClock;
import com.simplemodelapi.testing.TestPostgres;
import com.simplemodelapi.usage.dao.UsageDao;
import com.simplemodelapi.usage.dao.UsageRow;
import com.simplemodelapi.usage.service.Quotas;
import com.simplemodelapi.usage.service.UsageCounter;
import com.simplemodelapi.usage.service.UsageFlusher;
import com.simplemodelapi.usage.service.UsageSettings;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The flusher against a PostgreSQL that goes away: counts wait in memory up to the bound, past it they are dropped and
 * counted in the metric, and what waited is written, exactly once, when the database is back.
 */
class UsageFlusherTest {
    @TempDir
    static Path temp;

    private static RestartablePostgres postgres;
    private static Jdbi jdbi;

    @BeforeAll
    static void database() {
        postgres = RestartablePostgres.startIn(temp.resolve("postgres"));
        Migrate.apply(postgres.jdbcUrl());
        jdbi = Jdbi.create(postgres.jdbcUrl(), TestPostgres.USER, "").installPlugin(new SqlObjectPlugin());
    }

    @AfterAll
    static void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static AuditEvent call(String minute, int status, int instances, double durationMs) {
        return new AuditEvent(Instant.parse(minute), "r", "s", "flushed", 1L, "POST", "/v1/models/m/predict", status,
                durationMs, "m", 1, instances, "127.0.0.1", null);
    }

    @Test
    void countsWaitWhilePostgresIsAwayUpToTheBoundAndTheRestAreDroppedAndCounted() {
        UsageSettings settings = new UsageSettings();
        settings.setMaxUnflushedRows(2);
        MetricRegistry metrics = new MetricRegistry();
        UsageCounter counter = new UsageCounter();
        SettableClock clock = new SettableClock(Instant.parse("2026-11-05T10:05:00Z"));
        ScheduledExecutorService unused = Executors.newSingleThreadScheduledExecutor();
        UsageFlusher flusher = new UsageFlusher(jdbi, counter, new Quotas(1, clock, System::nanoTime, List::of),
                settings, metrics, clock, unused);
        unused.shutdown();

        counter.count(call("2026-11-05T10:00:01Z", 200, 3, 1.25));
        assertThat(flusher.flush()).isTrue();

        postgres.stop();
        counter.count(call("2026-11-05T10:00:30Z", 200, 2, 0.5));
        counter.count(call("2026-11-05T10:01:00Z", 500, 1, 2.0));
        assertThat(flusher.flush()).as("PostgreSQL is away").isFalse();
        assertThat(metrics.counter(UsageFlusher.FAILURES).getCount()).isEqualTo(1);
        assertThat(metrics.getGauges().get(UsageFlusher.UNFLUSHED).getValue()).isEqualTo(2);
        // A row already waiting takes more counts; a third row does not fit.
        counter.count(call("2026-11-05T10:00:40Z", 200, 9, 0.25));
        counter.count(call("2026-11-05T10:02:00Z", 200, 4, 1.0));
        counter.count(call("2026-11-05T10:02:10Z", 200, 4, 1.0));
        assertThat(flusher.flush()).isFalse();
        assertThat(metrics.counter(UsageFlusher.DROPPED).getCount()).as("the requests of the row past the bound")
                .isEqualTo(2);

        postgres.start();
        assertThat(flusher.flush()).as("PostgreSQL is back").isTrue();
        assertThat(flusher.flush()).as("nothing left to write").isTrue();
        assertThat(metrics.getGauges().get(UsageFlusher.UNFLUSHED).getValue()).isEqualTo(0);
        List<UsageRow> rows = jdbi.withExtension(UsageDao.class, usage -> usage.rowsBetween(Instant.EPOCH,
                Instant.parse("2100-01-01T00:00:00Z")));
        assertThat(rows).containsExactly(
                new UsageRow("flushed", "m", 1, Instant.parse("2026-11-05T10:00:00Z"), "2xx", 3, 14, 0,
                        new BigDecimal("2.000")),
                new UsageRow("flushed", "m", 1, Instant.parse("2026-11-05T10:01:00Z"), "5xx", 1, 0, 1,
                        new BigDecimal("2.000")));
    }
}
