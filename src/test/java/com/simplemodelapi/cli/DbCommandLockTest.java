package com.simplemodelapi.cli;

import com.simplemodelapi.app.DatabaseSetup;
import com.simplemodelapi.testing.Poll;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static com.simplemodelapi.testing.Poll.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code db migrate}, and every other {@code db} command that can change the schema or Liquibase's changelog, takes
 * the migration lock a server takes at start, with the same timeout: so it cannot race a server starting on an empty
 * database. Here the lock is held by a connection of the test's own, as a server migrating would hold it.
 */
class DbCommandLockTest {
    @TempDir
    static Path temp;

    @Test
    void dbMigrateWaitsForAMigrationUnderWayAndRunsOnceItEnds() throws Exception {
        String url = TestPostgres.newDatabase();
        CompletableFuture<CliTest.Run> migrate;
        try (Connection server = holdMigrationLock(url)) {
            migrate = CompletableFuture.supplyAsync(() -> cli(url, "2m", "db", "migrate"));

            Poll.until(PATIENCE, () -> waitingForTheLock(url), waiting -> waiting == 1,
                    "db migrate waiting for the migration lock");
            assertThat(migrate).isNotDone();
            assertThat(hasChangelog(url)).as("nothing applied while the lock is held").isFalse();
        }

        CliTest.Run run = migrate.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(hasChangelog(url)).isTrue();
        CliTest.Run add = cli(url, "2m", "users", "add", "--name", "alice");
        assertThat(add.exitCode()).as(add.toString()).isZero();
    }

    @Test
    void dbMigrateGivesUpAfterTheLockTimeoutWithOneLineAndAppliesNothing() throws Exception {
        String url = TestPostgres.newDatabase();
        try (Connection server = holdMigrationLock(url)) {
            CliTest.Run run = cli(url, "1s", "db", "migrate");

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
            assertThat(run.errorLine()).startsWith("error: Another migration (a server starting, or a db command) has"
                    + " held the migration lock for longer than 1 second (database.migrationLockTimeout).");
            assertThat(run.stderr()).as("no stack trace").doesNotContainPattern("(?m)^\\s+at ");
            assertThat(hasChangelog(url)).isFalse();
        }
    }

    @Test
    void everyCommandThatChangesTheChangelogTakesTheLockAndThoseThatOnlyReadDoNot() throws Exception {
        String url = TestPostgres.newMigratedDatabase();
        long applied = count(url, "SELECT count(*) FROM databasechangelog");
        try (Connection server = holdMigrationLock(url)) {
            for (String[] changes : new String[][]{{"migrate"}, {"rollback", "--count", "1"}, {"fast-forward"},
                    {"clear-checksums"}, {"drop-all", "--confirm-delete-everything"}}) {
                CliTest.Run run = cli(url, "1s", concat("db", changes));
                assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
                assertThat(run.errorLine()).contains("has held the migration lock for longer than 1 second");
            }
            for (String[] reads : new String[][]{{"status"}, {"locks", "--list"}}) {
                CliTest.Run run = cli(url, "1s", concat("db", reads));
                assertThat(run.exitCode()).as(run.toString()).isZero();
            }
        }
        assertThat(count(url, "SELECT count(*) FROM databasechangelog")).isEqualTo(applied);
        assertThat(count(url, "SELECT count(*) FROM databasechangelog WHERE md5sum IS NULL")).isZero();
        assertThat(count(url, "SELECT count(*) FROM users")).as("the tables are all there").isZero();
    }

    private static String[] concat(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static CliTest.Run cli(String url, String lockTimeout, String... args) {
        return InProcessCli.run(Map.of("DATABASE_URL", url, "DATABASE_USER", TestPostgres.USER,
                "MIGRATION_LOCK_TIMEOUT", lockTimeout, "AUDIT_LOG", temp.resolve("audit.log").toString()), args);
    }

    private static Connection holdMigrationLock(String url) throws SQLException {
        Connection connection = DriverManager.getConnection(url, TestPostgres.USER, "");
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + DatabaseSetup.MIGRATION_LOCK + ")");
        }
        return connection;
    }

    /** Sessions of this database waiting for an advisory lock. */
    private static long waitingForTheLock(String url) {
        return count(url, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
    }

    private static boolean hasChangelog(String url) {
        return count(url, "SELECT count(*) FROM pg_tables WHERE tablename = 'databasechangelog'") > 0;
    }

    private static long count(String url, String sql) {
        return new TestData(url).jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }
}
