package com.simplemodelapi.usage.service;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.simplemodelapi.usage.dao.InstanceTotalRow;
import com.simplemodelapi.usage.dao.UsageDao;
import com.simplemodelapi.usage.dao.UsageRow;
import io.dropwizard.lifecycle.Managed;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Adds this server's usage counts to the {@code usage} table in one transaction every flush interval, then reads the
 * instance totals of the users with quotas. The flushes fall on multiples of the interval on the wall clock, so every
 * server flushes at about the same moments; a scheduled read waits a moment ({@link #settle}: a tenth of the interval,
 * at most a second) after its own write, so that it also sees what the other servers wrote at that moment. What a
 * server cannot see is then only what the others let through since that moment: at most one interval's traffic.
 *
 * <p>Counts that cannot be written (PostgreSQL away) wait in memory and go with the next flush that succeeds, up to
 * {@code maxUnflushedRows} rows: counts for a row past that are dropped, and the requests they counted are added to
 * {@value #DROPPED}. Stopping the server flushes once more, after the last request.
 */
public final class UsageFlusher implements Managed {
    public static final String DROPPED = "usage.dropped_requests";
    public static final String UNFLUSHED = "usage.unflushed_rows";
    public static final String FAILURES = "usage.flush_failures";
    private static final Comparator<UsageRow> KEY_ORDER = Comparator.comparing(UsageRow::userName)
            .thenComparing(UsageRow::minute).thenComparing(UsageRow::model).thenComparingInt(UsageRow::version)
            .thenComparing(UsageRow::statusClass);
    private static final Logger LOG = LoggerFactory.getLogger(UsageFlusher.class);

    private final Jdbi jdbi;
    private final UsageCounter counter;
    private final Quotas quotas;
    private final UsageSettings settings;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Counter dropped;
    private final Counter failures;
    /** Counts drained and not yet written; only the flushing thread touches it. */
    private final Map<UsageKey, UsageCounts> pending = new HashMap<>();
    private volatile int pendingRows;
    private boolean failing;

    public UsageFlusher(Jdbi jdbi, UsageCounter counter, Quotas quotas, UsageSettings settings, MetricRegistry metrics,
                        Clock clock, ScheduledExecutorService scheduler) {
        this.jdbi = jdbi;
        this.counter = counter;
        this.quotas = quotas;
        this.settings = settings;
        this.clock = clock;
        this.scheduler = scheduler;
        this.dropped = metrics.counter(DROPPED);
        this.failures = metrics.counter(FAILURES);
        metrics.gauge(UNFLUSHED, () -> () -> pendingRows + counter.size());
    }

    @Override
    public void start() {
        long interval = settings.getFlushInterval().toMilliseconds();
        long now = clock.millis();
        long firstDelay = interval - now % interval;
        scheduler.scheduleAtFixedRate(this::flushQuietly, firstDelay, interval, TimeUnit.MILLISECONDS);
    }

    /** How long a scheduled flush waits between writing and reading the totals. */
    long settle() {
        return Math.min(1_000, settings.getFlushInterval().toMilliseconds() / 10);
    }

    /** After the last request: no new counts can come, and what is counted is written once more. */
    @Override
    public void stop() throws InterruptedException {
        scheduler.shutdown();
        if (!scheduler.awaitTermination(1, TimeUnit.MINUTES)) {
            LOG.warn("A usage flush still runs after a minute; flushing again anyway");
        }
        if (!flush()) {
            long requests = pending.values().stream().mapToLong(UsageCounts::requests).sum();
            LOG.error("The last usage flush failed: the usage of {} requests is not in the usage table. The audit log"
                    + " has them: 'usage rebuild --from-audit' recomputes the minutes they fall in.", requests);
        }
    }

    private void flushQuietly() {
        try {
            flush(settle());
        } catch (RuntimeException e) {
            LOG.error("A usage flush failed unexpectedly", e);
        }
    }

    /** One flush, reading the totals right after writing; true when everything counted so far is written. */
    public boolean flush() {
        return flush(0);
    }

    /** One flush, waiting {@code settleMillis} before reading the totals. Runs on one thread at a time. */
    synchronized boolean flush(long settleMillis) {
        Map<String, Long> admittedBefore = quotas.trackedBeforeFlush();
        keep(counter.drain());
        if (pending.isEmpty() && admittedBefore.isEmpty()) {
            return true;
        }
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        List<UsageRow> rows = rows();
        try {
            if (!rows.isEmpty()) {
                jdbi.useTransaction(handle -> handle.attach(UsageDao.class).add(rows));
            }
            pending.clear();
            pendingRows = 0;
            if (!admittedBefore.isEmpty() && settleMillis > 0) {
                Thread.sleep(settleMillis);
            }
            List<InstanceTotalRow> totals = admittedBefore.isEmpty() ? List.of()
                    : jdbi.withExtension(UsageDao.class, usage -> usage.instanceTotals(admittedBefore.keySet(),
                            today.atStartOfDay(ZoneOffset.UTC).toInstant(),
                            today.withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
            Map<String, long[]> byUser = new HashMap<>();
            totals.forEach(row -> byUser.put(row.userName(), new long[] {row.sinceDay(), row.sinceMonth()}));
            quotas.totalsRead(today, byUser, admittedBefore);
            if (failing) {
                failing = false;
                LOG.info("Usage flushes succeed again; {} rows written", rows.size());
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return pending.isEmpty();
        } catch (RuntimeException e) {
            failures.inc();
            if (!failing) {
                failing = true;
                LOG.warn("Cannot write usage counts: {}. They are kept in memory (at most {} rows) and written when"
                        + " the database is back.", e.getMessage(), settings.getMaxUnflushedRows());
            }
            return false;
        }
    }

    /** Adds drained counts to the pending ones, dropping (and counting) those for rows past the bound. */
    private void keep(Map<UsageKey, UsageCounts> drained) {
        drained.forEach((key, counts) -> {
            UsageCounts kept = pending.get(key);
            if (kept != null) {
                pending.put(key, kept.plus(counts));
            } else if (pending.size() < settings.getMaxUnflushedRows()) {
                pending.put(key, counts);
            } else {
                dropped.inc(counts.requests());
            }
        });
        pendingRows = pending.size();
    }

    /** In the primary key's order, so that two servers adding to the same rows lock them in the same order. */
    private List<UsageRow> rows() {
        List<UsageRow> rows = new ArrayList<>(pending.size());
        pending.forEach((key, counts) -> rows.add(row(key, counts)));
        rows.sort(KEY_ORDER);
        return rows;
    }

    static UsageRow row(UsageKey key, UsageCounts counts) {
        return new UsageRow(key.user(), key.model(), key.version(), key.minute(), key.statusClass(),
                counts.requests(), counts.instances(), counts.errors(),
                BigDecimal.valueOf(counts.durationMicros(), 3));
    }
}
