package com.simplemodelapi.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A PostgreSQL of its own for one test, which the test may stop and start again: same port, same data, so a server
 * pointed at it sees the database vanish and come back. The shared {@link TestPostgres} is never stopped; use this
 * one for outages.
 */
public final class RestartablePostgres implements AutoCloseable {
    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres running;

    private RestartablePostgres(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    /** Creates the cluster under {@code dataDir} (initdb, once) on a free port, and leaves it running. */
    public static RestartablePostgres startIn(Path dataDir) {
        RestartablePostgres postgres = new RestartablePostgres(dataDir, FreePort.next());
        postgres.start();
        return postgres;
    }

    /** The {@code postgres} database; user {@link TestPostgres#USER}, no password. */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    public int port() {
        return port;
    }

    public synchronized boolean isRunning() {
        return running != null;
    }

    public synchronized void start() {
        if (running != null) {
            return;
        }
        try {
            running = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    // zonky gives PostgreSQL 10 s to come up by default; a loaded machine can take longer.
                    .setPGStartupWait(Poll.PATIENCE)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start PostgreSQL on port " + port + " in " + dataDir, e);
        }
    }

    /** A fast shutdown: clients are disconnected and the port closes; the data stays. */
    public synchronized void stop() {
        if (running == null) {
            return;
        }
        try {
            running.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot stop PostgreSQL on port " + port, e);
        } finally {
            running = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

}
