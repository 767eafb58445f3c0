package com.simplemodelapi.app;

import com.simplemodelapi.common.SetupException;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.util.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/** Waits for PostgreSQL to accept connections, retrying with back-off, so replicas can start before the database. */
public final class PostgresWaiter {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresWaiter.class);
    private static final long FIRST_PAUSE_MILLIS = 250;
    private static final long LONGEST_PAUSE_MILLIS = 5_000;

    private PostgresWaiter() {
    }

    public static void await(DataSourceFactory database, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanoseconds();
        long pause = FIRST_PAUSE_MILLIS;
        for (int attempt = 1; ; attempt++) {
            try (Connection ignored = DatabaseSetup.connect(database, Map.of())) {
                if (attempt > 1) {
                    LOG.info("PostgreSQL is up after {} attempts", attempt);
                }
                return;
            } catch (SQLException e) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SetupException("PostgreSQL at " + withoutParameters(database.getUrl()) + " did not accept connections within "
                            + timeout + ": " + e.getMessage());
                }
                LOG.info("PostgreSQL is not ready (attempt {}: {}); retrying in {} ms", attempt, e.getMessage(), pause);
                sleep(Math.min(pause, left / 1_000_000 + 1));
                pause = Math.min(pause * 2, LONGEST_PAUSE_MILLIS);
            }
        }
    }

    /** URL parameters may carry a password, which must not reach a log. */
    private static String withoutParameters(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for PostgreSQL", e);
        }
    }
}
