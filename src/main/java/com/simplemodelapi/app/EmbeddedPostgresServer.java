package com.simplemodelapi.app;

import com.simplemodelapi.common.SetupException;
import io.dropwizard.lifecycle.Managed;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The PostgreSQL of a run with no {@code DATABASE_URL}: its data lives under {@code dataDir/postgres} and is kept
 * across restarts. A second process (a CLI command while the server runs) attaches to the running one instead of
 * starting another on the same data.
 */
public final class EmbeddedPostgresServer implements Managed, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final String USER = "postgres";
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

    private final EmbeddedPostgres started;
    private final int port;
    private boolean closed;

    private EmbeddedPostgresServer(EmbeddedPostgres started, int port) {
        this.started = started;
        this.port = port;
    }

    public static EmbeddedPostgresServer startOrAttach(Path dataDir) {
        Path pgData = dataDir.resolve("postgres").toAbsolutePath();
        Optional<Integer> running = runningPort(pgData);
        if (running.isPresent()) {
            LOG.info("Using the embedded PostgreSQL already running on port {} for {}", running.get(), pgData);
            return new EmbeddedPostgresServer(null, running.get());
        }
        if ("root".equals(System.getProperty("user.name"))) {
            throw new SetupException("PostgreSQL refuses to run as root: start the embedded database as an ordinary"
                    + " user, or set DATABASE_URL to a PostgreSQL server.");
        }
        try {
            Files.createDirectories(pgData.getParent());
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    // zonky's default is 10 s, which a first start (initdb) on a busy machine can exceed.
                    .setPGStartupWait(STARTUP_WAIT)
                    .start();
            LOG.info("Started embedded PostgreSQL on port {} with its data in {}", postgres.getPort(), pgData);
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres, postgres.getPort());
            // Normally the server's lifecycle or the CLI command stops it; this covers a JVM that ends any other
            // way (a failed start, Ctrl-C in a CLI command), so no PostgreSQL is left running without its owner.
            Runtime.getRuntime().addShutdownHook(new Thread(server::closeQuietly, "embedded-postgres-stop"));
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the embedded PostgreSQL in " + pgData + ": " + e.getMessage(), e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    public String user() {
        return USER;
    }

    @Override
    public void stop() throws IOException {
        close();
    }

    @Override
    public synchronized void close() throws IOException {
        if (started != null && !closed) {
            closed = true;
            started.close();
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException e) {
            LOG.warn("Stopping the embedded PostgreSQL failed: {}", e.getMessage());
        }
    }

    /** The port in postmaster.pid, if a postmaster there still answers. */
    private static Optional<Integer> runningPort(Path pgData) {
        Path pidFile = pgData.resolve("postmaster.pid");
        if (!Files.isReadable(pidFile)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(pidFile);
            int port = Integer.parseInt(lines.get(3).trim());
            Properties props = new Properties();
            props.setProperty("user", USER);
            props.setProperty("connectTimeout", "2");
            try (Connection ignored = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", props)) {
                return Optional.of(port);
            }
        } catch (IOException | RuntimeException | SQLException e) {
            return Optional.empty();
        }
    }
}
