package com.simplemodelapi.catalog;

import com.simplemodelapi.common.Causes;
import com.simplemodelapi.common.Fatal;
import com.simplemodelapi.spi.Evaluator;
import io.dropwizard.lifecycle.Managed;
import io.dropwizard.util.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The catalog requests read, loaded at start and then refreshed every {@code refreshInterval} and on demand. When a
 * refresh fails the last good catalog keeps serving, and the next refresh tries again, whatever the failure was short
 * of a broken JVM. A catalog whose last successful load is older than {@value #STALE_AFTER_INTERVALS} intervals is
 * stale: the refreshes have stopped working, and the health check says so.
 */
public class LiveCatalog implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(LiveCatalog.class);
    static final int STALE_AFTER_INTERVALS = 3;

    private final CatalogLoader loader;
    private final ScheduledExecutorService scheduler;
    private final Duration interval;
    private final Clock clock;
    private volatile Catalog current = Catalog.EMPTY;
    private volatile RefreshOutcome lastOutcome = new RefreshOutcome(null, null);
    private volatile Instant lastSuccess;
    /** When the refresh under way began; null while none is. */
    private volatile Instant refreshStarted;
    private int failuresInARow;
    /** A refresh asked for by {@link #refreshSoon} is waiting to begin. */
    private final AtomicBoolean refreshQueued = new AtomicBoolean();
    private volatile CompletableFuture<Catalog> firstLoad =
            CompletableFuture.failedFuture(new IllegalStateException("The catalog has not been started"));

    public LiveCatalog(CatalogLoader loader, ScheduledExecutorService scheduler, Duration interval, Clock clock) {
        this.loader = loader;
        this.scheduler = scheduler;
        this.interval = interval;
        this.clock = clock;
    }

    /** When the last refresh ran, and why it failed if it did. */
    public record RefreshOutcome(Instant at, String failure) {
    }

    public Catalog current() {
        return current;
    }

    public RefreshOutcome lastOutcome() {
        return lastOutcome;
    }

    /** When the catalog in use was loaded; null before the first load. */
    public Instant lastSuccess() {
        return lastSuccess;
    }

    /** Seconds since the catalog in use was loaded; -1 before the first load. */
    public double ageSeconds() {
        Instant loaded = lastSuccess;
        return loaded == null ? -1 : loaded.until(clock.instant(), ChronoUnit.MILLIS) / 1000.0;
    }

    /**
     * True before the first load, and when no refresh has worked for {@value #STALE_AFTER_INTERVALS} intervals, unless
     * one began within that time and is still going: a refresh that builds large new models is slow, not broken, and
     * every replica runs it at once.
     */
    public boolean isStale() {
        Instant loaded = lastSuccess;
        Instant started = refreshStarted;
        return loaded == null || !isRecent(loaded) && (started == null || !isRecent(started));
    }

    private boolean isRecent(Instant at) {
        return at.until(clock.instant(), ChronoUnit.MILLIS) <= interval.toMilliseconds() * STALE_AFTER_INTERVALS;
    }

    public Duration interval() {
        return interval;
    }

    /**
     * Loads a new catalog and swaps it in whole: a request sees the old one or the new one, never a mix. When this
     * returns, every request that starts afterwards sees what the database held when the load began.
     */
    public synchronized Catalog refresh() {
        refreshStarted = clock.instant();
        try {
            Catalog previous = current;
            current = loader.load(previous);
            Instant now = clock.instant();
            lastOutcome = new RefreshOutcome(now, null);
            lastSuccess = now;
            if (failuresInARow > 0) {
                LOG.info("Catalog refresh works again, after {} failed attempts", failuresInARow);
                failuresInARow = 0;
            }
            closeEvaluatorsLeaving(previous, current);
            return current;
        } catch (Throwable e) {
            failuresInARow++;
            lastOutcome = new RefreshOutcome(clock.instant(), reason(e));
            throw e;
        } finally {
            refreshStarted = null;
        }
    }

    /**
     * Asks for a refresh on the refresh thread, after whatever it is doing, and returns at once. Requests made before
     * that refresh begins share it, so a burst of changes costs one refresh, yet every request is followed by a
     * refresh that begins after it. A failure is logged as a scheduled refresh's is.
     */
    public void refreshSoon() {
        if (!refreshQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            scheduler.execute(() -> {
                refreshQueued.set(false);
                refreshInBackground();
            });
        } catch (RejectedExecutionException e) {
            // Stopping: there is nothing left to refresh for.
            refreshQueued.set(false);
        }
    }

    /** A failure that came from the database (it is down, restarting, out of connections) rather than from a bug. */
    static boolean isDatabaseFailure(Throwable failure) {
        return databaseCause(failure) != null;
    }

    /**
     * Why a refresh failed, in one line: for a database failure the driver's own message (a refused connection, a
     * dropped socket) rather than the wrappers' and the statement's.
     */
    static String reason(Throwable failure) {
        Throwable cause = databaseCause(failure);
        Throwable shown = cause == null ? failure : cause;
        String message = shown.getMessage() == null ? shown.getClass().getName() : shown.getMessage();
        return message.replaceAll("\\s+", " ").trim();
    }

    private static SQLException databaseCause(Throwable failure) {
        return Causes.find(failure, SQLException.class);
    }

    /**
     * Begins loading the first catalog on the refresh thread and returns: the server sets up Jersey meanwhile, which
     * takes about as long. {@link #awaitFirstLoad} holds the server's start until the catalog is there.
     */
    @Override
    public void start() {
        long millis = interval.toMilliseconds();
        firstLoad = CompletableFuture.supplyAsync(this::refresh, scheduler);
        // Refreshes count their interval from the end of the first load, however long that takes.
        firstLoad.thenRun(() ->
                scheduler.scheduleWithFixedDelay(this::refreshInBackground, millis, millis, TimeUnit.MILLISECONDS));
    }

    /** Waits for the load {@link #start} began; its failure is thrown here, and stops the server from starting. */
    public void awaitFirstLoad() throws Exception {
        try {
            firstLoad.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** Stops the refreshes, then releases every evaluator's resources (ONNX sessions). */
    @Override
    public synchronized void stop() {
        scheduler.shutdownNow();
        closeEvaluatorsLeaving(current, Catalog.EMPTY);
        current = Catalog.EMPTY;
    }

    /** Versions kept from one catalog to the next keep their evaluator; the others' are closed. */
    private static void closeEvaluatorsLeaving(Catalog previous, Catalog next) {
        Set<Evaluator> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        next.allVersions().forEach(model -> kept.add(model.evaluator()));
        for (ServedModel model : previous.allVersions()) {
            if (model.isAvailable() && !kept.contains(model.evaluator())) {
                try {
                    model.evaluator().close();
                } catch (RuntimeException e) {
                    LOG.warn("Closing model {} version {} failed: {}", model.name(), model.version(), e.getMessage());
                }
            }
        }
    }

    /**
     * One warning line per failed refresh when the database is the cause: an outage fails every refresh until it
     * ends, and a stack trace each time would say nothing more. Anything else is a bug and gets its trace. Nothing
     * short of a broken JVM escapes, since the scheduler would run no later refresh after it.
     */
    void refreshInBackground() {
        try {
            refresh();
        } catch (Throwable e) {
            Fatal.rethrowIfFatal(e);
            if (isDatabaseFailure(e)) {
                LOG.warn("Catalog refresh failed; still serving the catalog loaded before: {}", reason(e));
            } else {
                LOG.error("Catalog refresh failed; still serving the catalog loaded before", e);
            }
        }
    }
}
