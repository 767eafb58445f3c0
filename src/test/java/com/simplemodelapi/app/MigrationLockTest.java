package com.simplemodelapi.app;

import com.codahale.metrics.MetricRegistry;
import com.simplemodelapi.common.SetupException;
import com.simplemodelapi.testing.Poll;
import com.simplemodelapi.testing.TestPostgres;
import io.dropwizard.util.Duration;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** A migration that cannot go on fails a start with one line; it never hangs every replica's start. */
class MigrationLockTest {

    @Test
    void aStartWaitsForAnotherServersMigrationOnlyAsLongAsTheTimeoutAndSaysWhy() throws Exception {
        DatabaseFactory database = database(TestPostgres.newDatabase());
        try (Connection otherServer = connect(database); Statement statement = otherServer.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + DatabaseSetup.MIGRATION_LOCK + ")");

            SetupException refused = assertTimeoutPreemptively(Poll.PATIENCE, () ->
                    catchThrowableOfType(SetupException.class, () -> DatabaseSetup.migrate(database,
                            new MetricRegistry())));

            assertThat(refused).isNotNull();
            assertThat(refused.getMessage()).startsWith("Another migration (a server starting, or a db command) has held"
                    + " the migration lock for longer than 1 second");
        }
    }

    @Test
    void aMigrationStatementBlockedByAnotherSessionsLockFailsInsteadOfHangingWithTheMigrationLock() throws Exception {
        DatabaseFactory database = database(TestPostgres.newMigratedDatabase());
        try (Connection other = connect(database); Statement statement = other.createStatement()) {
            // As if the last two migrations were new: 0005 creates a table that references model_versions, which
            // takes a lock on model_versions; another session holds that table.
            statement.execute("DROP TABLE migration_fingerprint, model_artifacts");
            statement.execute("DELETE FROM databasechangelog WHERE id IN ('0005', '0006')");
            other.setAutoCommit(false);
            statement.execute("LOCK TABLE model_versions IN ACCESS EXCLUSIVE MODE");

            SetupException failed = assertTimeoutPreemptively(Poll.PATIENCE, () ->
                    catchThrowableOfType(SetupException.class, () -> DatabaseSetup.migrate(database,
                            new MetricRegistry())));

            assertThat(failed).isNotNull();
            assertThat(failed.getMessage()).contains("waited longer than database.migrationLockTimeout (1 second) for a lock");
            other.rollback();
        }
        assertThat(DatabaseSetup.migrate(database, new MetricRegistry()))
                .as("once the other session lets go, the migration lock is free and Liquibase runs").isTrue();
    }

    private static DatabaseFactory database(String url) {
        DatabaseFactory database = TestPostgres.configFor(url).getDatabase();
        database.setMigrationLockTimeout(Duration.seconds(1));
        return database;
    }

    private static Connection connect(DatabaseFactory database) throws SQLException {
        return DriverManager.getConnection(database.getUrl(), database.getUser(), database.getPassword());
    }
}
