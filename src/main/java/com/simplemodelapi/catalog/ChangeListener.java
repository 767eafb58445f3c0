package com.simplemodelapi.catalog;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.simplemodelapi.common.Fatal;
import io.dropwizard.lifecycle.Managed;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hears of operators' changes the moment they commit, and has the catalog refreshed. It LISTENs on one connection of
 * its own, outside the pool: a pooled connection is handed to others between uses, and a notification reaches only the
 * session that listens. It waits for notifications on its own thread, so no request ever waits for it.
 *
 * <p>A lost connection (PostgreSQL restarted, the session killed, the network gone quiet) is reconnected with
 * back-off, counted in {@value #RECONNECTS}, and followed by one refresh, since a change may have committed while
 * nobody listened. Meanwhile the scheduled refreshes go on as before; they are the fallback, never replaced.
 */
public final class ChangeListener implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeListener.class);
    public static final String RECONNECTS = "catalog.listener.reconnects";
    public static final String NOTIFICATIONS = "catalog.listener.notifications";
    public static final String CONNECTED = "catalog.listener.connected";
    /** The longest one wait for notifications lasts, which is also about how long a stop waits for the thread. */
    private static final int WAIT_MILLIS = 500;
    /**
     * How long a quiet connection goes unchecked. A host or network that vanishes without a reset would otherwise
     * leave it waiting for notifications that can no longer come.
     */
    private static final Duration CHECK_QUIET_CONNECTION_AFTER = Duration.ofSeconds(10);
    private static final int CHECK_SECONDS = 5;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    /** Opens the connection to listen on. */
    @FunctionalInterface
    public interface Connector {
        Connection connect() throws SQLException;
    }

    private final Connector connector;
    private final String channel;
    private final Runnable refresh;
    private final Counter reconnects;
    private final Counter notifications;
    private volatile boolean connected;
    private volatile boolean running;
    private Thread thread;

    /**
     * {@code channel} must be a plain SQL identifier (it is written into {@code LISTEN}); {@code refresh} is called
     * on this listener's thread and must return quickly ({@link LiveCatalog#refreshSoon}).
     */
    public ChangeListener(Connector connector, String channel, Runnable refresh, MetricRegistry metrics) {
        if (!channel.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("Not a plain channel name: " + channel);
        }
        this.connector = connector;
        this.channel = channel;
        this.refresh = refresh;
        this.reconnects = metrics.counter(RECONNECTS);
        this.notifications = metrics.counter(NOTIFICATIONS);
        metrics.gauge(CONNECTED, () -> () -> connected ? 1 : 0);
    }

    public boolean isConnected() {
        return connected;
    }

    /**
     * Listens before it returns when it can, so that a catalog loaded after this start misses no change; when it
     * cannot, it goes on trying in the background and refreshes once it listens.
     */
    @Override
    public void start() {
        running = true;
        Connection first = null;
        try {
            first = listen();
            LOG.info("Listening for operators' changes on channel {}", channel);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Cannot listen for operators' changes yet; trying again in the background, and the catalog is"
                    + " refreshed on its schedule meanwhile: {}", oneLine(e));
        }
        Connection listening = first;
        thread = new Thread(() -> run(listening), "catalog-change-listener");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        Thread listening = thread;
        if (listening != null) {
            listening.interrupt();
            listening.join(Duration.ofSeconds(15).toMillis());
        }
    }

    private void run(Connection first) {
        Connection connection = first;
        boolean listenedBefore = first != null;
        boolean lossLogged = first == null;
        Duration backoff = FIRST_BACKOFF;
        while (running) {
            try {
                if (connection == null) {
                    connection = listen();
                    if (listenedBefore) {
                        reconnects.inc();
                        LOG.info("Listening for operators' changes again; refreshing the catalog once, since a change"
                                + " may have committed while nobody listened");
                    } else {
                        LOG.info("Listening for operators' changes on channel {}; refreshing the catalog once",
                                channel);
                    }
                    listenedBefore = true;
                    refresh.run();
                }
                connected = true;
                lossLogged = false;
                backoff = FIRST_BACKOFF;
                awaitNotifications(connection);
            } catch (Throwable e) {
                Fatal.rethrowIfFatal(e);
                if (!running) {
                    break;
                }
                // One line per loss, not one per attempt: an outage would otherwise log every few seconds.
                if (!lossLogged) {
                    LOG.warn("Lost the connection that listens for operators' changes; reconnecting, and the catalog"
                            + " is refreshed on its schedule meanwhile: {}", oneLine(e));
                    lossLogged = true;
                } else {
                    LOG.debug("Still cannot listen for operators' changes: {}", oneLine(e));
                }
            } finally {
                connected = false;
            }
            closeQuietly(connection);
            connection = null;
            if (running) {
                backoff = sleep(backoff);
            }
        }
        closeQuietly(connection);
    }

    private Connection listen() throws SQLException {
        Connection connection = connector.connect();
        try (Statement statement = connection.createStatement()) {
            // A session that only listens: no transaction may stay open on it, or notifications would wait for its end.
            connection.setAutoCommit(true);
            statement.execute("LISTEN " + channel);
            return connection;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /** Returns when stopping; throws when the connection fails. */
    private void awaitNotifications(Connection connection) throws SQLException {
        PGConnection postgres = connection.unwrap(PGConnection.class);
        long quietSince = System.nanoTime();
        while (running) {
            PGNotification[] received = postgres.getNotifications(WAIT_MILLIS);
            long now = System.nanoTime();
            if (received != null && received.length > 0) {
                notifications.inc(received.length);
                refresh.run();
                quietSince = now;
            } else if (now - quietSince > CHECK_QUIET_CONNECTION_AFTER.toNanos()) {
                if (!connection.isValid(CHECK_SECONDS)) {
                    throw new SQLException("the connection did not answer within " + CHECK_SECONDS + " s");
                }
                quietSince = now;
            }
        }
    }

    /** Sleeps a random part of the back-off (so replicas spread their reconnects) and returns the next one. */
    private static Duration sleep(Duration backoff) {
        long millis = backoff.toMillis();
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(millis / 2, millis + 1));
        } catch (InterruptedException e) {
            // stop() interrupts a sleep; the loop sees that it is no longer running.
            Thread.currentThread().interrupt();
        }
        Duration next = backoff.multipliedBy(2);
        return next.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : next;
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Closing the listening connection failed: {}", e.getMessage());
        }
    }

    private static String oneLine(Throwable e) {
        return LiveCatalog.reason(e);
    }
}
