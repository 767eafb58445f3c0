package com.simplemodelapi.catalog;

import io.dropwizard.lifecycle.Managed;
import io.dropwizard.util.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The catalog requests read, loaded at start and then refreshed every {@code refreshInterval} and on demand. When a
 * refresh fails the last good catalog keeps serving.
 */
public class LiveCatalog implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(LiveCatalog.class);

    private final CatalogLoader loader;
    private final ScheduledExecutorService scheduler;
    private final Duration interval;
    private final Clock clock;
    private volatile Catalog current = Catalog.EMPTY;
    private volatile RefreshOutcome lastOutcome = new RefreshOutcome(null, null);

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

    public synchronized Catalog refresh() {
        try {
            current = loader.load(current);
            lastOutcome = new RefreshOutcome(clock.instant(), null);
            return current;
        } catch (RuntimeException e) {
            lastOutcome = new RefreshOutcome(clock.instant(), String.valueOf(e.getMessage()));
            throw e;
        }
    }

    @Override
    public void start() {
        refresh();
        long millis = interval.toMilliseconds();
        scheduler.scheduleWithFixedDelay(this::refreshInBackground, millis, millis, TimeUnit.MILLISECONDS);
    }

    private void refreshInBackground() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warn("Catalog refresh failed; still serving the catalog loaded before: {}", e.getMessage());
        }
    }
}
