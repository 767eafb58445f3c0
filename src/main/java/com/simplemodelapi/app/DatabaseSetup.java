package com.simplemodelapi.app;

import com.codahale.metrics.MetricRegistry;
import com.simplemodelapi.common.BuildInfo;
import com.simplemodelapi.common.Causes;
import com.simplemodelapi.common.SetupException;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.migrations.CloseableLiquibaseWithClassPathMigrationsFile;
import io.dropwizard.util.Duration;
import liquibase.GlobalConfiguration;
import liquibase.Scope;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.analytics.configuration.AnalyticsArgs;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.command.core.helpers.ShowSummaryArgument;
import liquibase.ui.LoggerUIService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * What the server and the CLI commands both do before they touch the database: start (or attach to) the embedded
 * PostgreSQL when no URL is set, wait until it answers, and then, as the caller asks, apply pending migrations or
 * check that the schema is this jar's.
 */
public final class DatabaseSetup implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseSetup.class);
    public static final String MIGRATIONS_FILE = "migrations.xml";

    /**
     * The advisory lock every migration takes, a server's at start and the {@code db} commands'; any fixed key will do
     * ("sma_migr"). Public for the tests that hold it to catch migrations queueing on it.
     */
    public static final long MIGRATION_LOCK = 0x736d615f6d696772L;
    /** PostgreSQL's SQLSTATE for a lock wait that passed {@code lock_timeout}. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    /** What a start does about the schema. */
    public enum Schema {
        /** Apply pending migrations: a server with {@code migrateOnStart}. */
        MIGRATE,
        /**
         * Refuse, with one line, a database whose migrations are not exactly this jar's: an operator command, which
         * must neither migrate production under older servers nor write to a schema it does not know.
         */
        REQUIRE_CURRENT,
        /** Leave the schema alone: a server without {@code migrateOnStart}, whose migrations run as a separate job. */
        LEAVE
    }

    private final EmbeddedPostgresServer embedded;

    private DatabaseSetup(EmbeddedPostgresServer embedded) {
        this.embedded = embedded;
    }

    public static DatabaseSetup prepare(SimpleModelApiConfiguration config, MetricRegistry metrics, Schema schema) {
        DatabaseSetup setup = pointAtDatabase(config);
        try {
            PostgresWaiter.await(config.getDatabase(), config.getDatabase().getStartupTimeout());
            switch (schema) {
                case MIGRATE -> migrate(config.getDatabase(), metrics);
                case REQUIRE_CURRENT -> SchemaCheck.requireCurrent(config.getDatabase(), metrics);
                case LEAVE -> { }
            }
            return setup;
        } catch (RuntimeException e) {
            setup.close();
            throw e;
        }
    }

    /** Starts or attaches to the embedded PostgreSQL when the config names no server. */
    private static DatabaseSetup pointAtDatabase(SimpleModelApiConfiguration config) {
        DatabaseFactory database = config.getDatabase();
        if (!database.isEmbedded()) {
            // Empty settings from unset environment variables would override credentials given in the URL.
            if (database.getUser() != null && database.getUser().isBlank()) {
                database.setUser(null);
            }
            if (database.getPassword() != null && database.getPassword().isEmpty()) {
                database.setPassword(null);
            }
            return new DatabaseSetup(null);
        }
        requireEmbeddedPossible(database);
        EmbeddedPostgresServer embedded = EmbeddedPostgresServer.startOrAttach(Path.of(config.getDataDir()));
        database.setUrl(embedded.jdbcUrl());
        database.setUser(embedded.user());
        database.setPassword("");
        return new DatabaseSetup(embedded);
    }

    /**
     * With no URL, the embedded PostgreSQL must be both allowed and in the jar; otherwise the start stops with one line
     * saying what to set, rather than running without the database the operator meant.
     */
    public static void requireEmbeddedPossible(DatabaseFactory database) {
        if (!database.isEmbedded()) {
            return;
        }
        if (!BuildInfo.hasEmbeddedPostgres()) {
            throw new SetupException("No database: DATABASE_URL is not set, and this jar has no embedded PostgreSQL"
                    + " to run instead (the container image's jar leaves it out). Set DATABASE_URL, DATABASE_USER and"
                    + " DATABASE_PASSWORD to a PostgreSQL server.");
        }
        if (!database.isAllowEmbedded()) {
            throw new SetupException("No database: DATABASE_URL is not set, and EMBEDDED_DATABASE is false. Set"
                    + " DATABASE_URL, DATABASE_USER and DATABASE_PASSWORD to a PostgreSQL server, or"
                    + " EMBEDDED_DATABASE=true to run an embedded one with its data under DATA_DIR.");
        }
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    /** Stops the embedded PostgreSQL with the server, after the connection pool has closed. */
    public EmbeddedPostgresServer embeddedServer() {
        return embedded;
    }

    /**
     * Applies pending migrations while holding a PostgreSQL advisory lock, so replicas starting together on one
     * database take turns. Liquibase's own lock is not enough on an empty database: it creates its changelog table
     * before it locks, and the second replica then fails with "relation databasechangelog already exists".
     * Liquibase is skipped when the database records that it already applied these very migration files and its
     * changelog is unchanged since ({@link MigrationFingerprint}). Returns whether Liquibase ran.
     */
    static boolean migrate(DatabaseFactory database, MetricRegistry metrics) {
        // The class loader Liquibase reads the migrations through.
        Optional<String> migrationFiles = MigrationFiles.fingerprint(Thread.currentThread().getContextClassLoader());
        try (MigrationLock lock = holdMigrationLock(database)) {
            Connection lockHolder = lock.connection();
            if (migrationFiles.isPresent() && MigrationFingerprint.matches(lockHolder, migrationFiles.get())) {
                LOG.info("Database schema is up to date: the database records that these migrations were all applied");
                return false;
            }
            runLiquibase(migrationDataSource(database, metrics), database);
            if (migrationFiles.isPresent()) {
                MigrationFingerprint.record(lockHolder, migrationFiles.get());
            }
            return true;
        } catch (SQLException e) {
            if (isLockNotAvailable(e)) {
                throw lockWaitTooLong(database);
            }
            throw new IllegalStateException("Migrating the database failed: " + e.getMessage(), e);
        }
    }

    /**
     * The migration lock, held by a connection of its own until closed. Everything that changes the schema or
     * Liquibase's changelog takes it, a server's start and the {@code db} commands alike, so none of them can run
     * while another does.
     */
    public record MigrationLock(Connection connection) implements AutoCloseable {
        /** Closing the connection releases the lock. */
        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }

    /**
     * Takes the migration lock, waiting for it at most {@code database.migrationLockTimeout}; past that, a
     * {@link SetupException} says what holds it. Statements run on the returned connection wait at most as long
     * for any other lock.
     */
    public static MigrationLock holdMigrationLock(DatabaseFactory database) throws SQLException {
        Connection lockHolder = connect(database, Map.of("socketTimeout", "0"));
        try {
            takeMigrationLock(lockHolder, database.getMigrationLockTimeout());
            return new MigrationLock(lockHolder);
        } catch (SQLException | RuntimeException e) {
            lockHolder.close();
            throw e;
        }
    }

    private static boolean isLockNotAvailable(SQLException e) {
        return e != null && LOCK_NOT_AVAILABLE.equals(e.getSQLState());
    }

    private static SetupException lockWaitTooLong(DatabaseFactory database) {
        return new SetupException("Migrating the database failed: a statement waited longer than"
                + " database.migrationLockTimeout (" + database.getMigrationLockTimeout() + ") for a lock another"
                + " session holds. Nothing was applied past the last migration that completed; find the blocking"
                + " session in pg_stat_activity.");
    }

    /**
     * Waits at most {@code timeout} for the lock: a server whose migration is stuck (behind a table lock, say) must
     * not hang every other replica's start with it. The bound stays on this connection for what it does next.
     */
    private static void takeMigrationLock(Connection lockHolder, Duration timeout) throws SQLException {
        try (Statement statement = lockHolder.createStatement()) {
            statement.execute("SET lock_timeout = " + timeout.toMilliseconds());
            statement.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")");
        } catch (SQLException e) {
            if (isLockNotAvailable(e)) {
                throw new SetupException("Another migration (a server starting, or a db command) has held the"
                        + " migration lock for longer than " + timeout
                        + " (database.migrationLockTimeout). Let it finish, or find it with: SELECT pid, state, query"
                        + " FROM pg_stat_activity WHERE pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory'"
                        + " AND granted)");
            }
            throw e;
        }
    }

    /**
     * The pool Liquibase runs on: the configured one, except that a statement waits at most
     * {@code migrationLockTimeout} for a lock, so a migration stuck behind another session's lock fails rather than
     * hangs while it holds the migration lock. (The settings are the server's too; they are changed only for this
     * build, which copies them.)
     */
    private static ManagedDataSource migrationDataSource(DatabaseFactory database, MetricRegistry metrics) {
        Map<String, String> configured = database.getProperties();
        Map<String, String> original = Map.copyOf(configured);
        boundLockWaits(database);
        try {
            return database.build(metrics, "migrations");
        } finally {
            configured.clear();
            configured.putAll(original);
        }
    }

    /**
     * Makes every statement on the connections built from these settings from now on wait at most
     * {@code migrationLockTimeout} for a lock (PostgreSQL's {@code lock_timeout}, through the driver's {@code options}).
     */
    public static void boundLockWaits(DatabaseFactory database) {
        database.getProperties().merge("options",
                "-c lock_timeout=" + database.getMigrationLockTimeout().toMilliseconds(),
                (given, bound) -> given + " " + bound);
    }

    private static void runLiquibase(ManagedDataSource dataSource, DatabaseFactory database) {
        try (CloseableLiquibaseWithClassPathMigrationsFile liquibase =
                     new CloseableLiquibaseWithClassPathMigrationsFile(dataSource, MIGRATIONS_FILE)) {
            // The command API rather than Liquibase.update, so its report goes to the log and not to stdout,
            // where a CLI command prints its result.
            // Analytics off: Liquibase would otherwise fetch its analytics settings from liquibase.com over HTTPS
            // on every update, and then report the run there.
            // Liquibase's own lock (a row it polls, not a PostgreSQL lock) is waited for as long as the migration lock.
            long lockWaitMinutes = Math.max(1, (database.getMigrationLockTimeout().toSeconds() + 59) / 60);
            Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), liquibase.getResourceAccessor(),
                            Scope.Attr.ui.name(), new LoggerUIService(),
                            AnalyticsArgs.ENABLED.getKey(), false,
                            GlobalConfiguration.CHANGELOGLOCK_WAIT_TIME.getKey(), lockWaitMinutes), () ->
                    new CommandScope(UpdateCommandStep.COMMAND_NAME)
                            .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, liquibase.getDatabase())
                            .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, MIGRATIONS_FILE)
                            .addArgumentValue(ShowSummaryArgument.SHOW_SUMMARY_OUTPUT, UpdateSummaryOutputEnum.LOG)
                            .setOutput(OutputStream.nullOutputStream())
                            .execute());
            LOG.info("Database schema is up to date");
        } catch (Exception e) {
            if (isLockNotAvailable(Causes.find(e, SQLException.class))) {
                throw lockWaitTooLong(database);
            }
            throw new IllegalStateException("Applying database migrations failed: " + e.getMessage(), e);
        }
    }

    /** A connection outside any pool, with the pool's driver settings (its timeouts above all) plus {@code extra}. */
    static Connection connect(DataSourceFactory database, Map<String, String> extra) throws SQLException {
        Properties properties = new Properties();
        properties.putAll(database.getProperties());
        properties.putAll(extra);
        if (database.getUser() != null) {
            properties.setProperty("user", database.getUser());
        }
        if (database.getPassword() != null) {
            properties.setProperty("password", database.getPassword());
        }
        return DriverManager.getConnection(database.getUrl(), properties);
    }

    @Override
    public void close() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                LOG.warn("Stopping the embedded PostgreSQL failed: {}", e.getMessage());
            }
        }
    }
}
