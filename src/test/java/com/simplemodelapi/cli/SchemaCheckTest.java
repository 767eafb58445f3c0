package com.simplemodelapi.cli;

import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operator commands never migrate: only {@code db migrate} and a server with migrateOnStart do. A command run against
 * a database whose migrations are not this jar's refuses with one line that says what to do, and changes nothing.
 */
class SchemaCheckTest {
    @TempDir
    static Path temp;

    @Test
    void aDatabaseWithNoMigrationsIsRefusedAndLeftEmpty() {
        String url = TestPostgres.newDatabase();

        CliTest.Run run = cli(url, "users", "add", "--name", "alice");

        assertThat(run.exitCode()).as(run.toString()).isNotZero();
        assertThat(run.errorLine()).isEqualTo("error: The database has no migrations applied. Apply this jar's with"
                + " 'db migrate config.yml' (or start a server with migrateOnStart), then run the command again.");
        assertThat(count(url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).isZero();
    }

    @Test
    void aDatabaseBehindTheJarIsRefusedAndNothingIsApplied() {
        String url = TestPostgres.newMigratedDatabase();
        execute(url, "DELETE FROM migration_fingerprint");
        execute(url, "DELETE FROM databasechangelog WHERE orderexecuted = (SELECT max(orderexecuted) FROM databasechangelog)");
        long applied = count(url, "SELECT count(*) FROM databasechangelog");

        CliTest.Run run = cli(url, "users", "add", "--name", "alice");

        assertThat(run.exitCode()).as(run.toString()).isNotZero();
        assertThat(run.errorLine()).startsWith("error: The database is behind this jar: 1 of its migrations are not"
                + " applied").endsWith("Apply them with 'db migrate config.yml' using this jar, then run the command again.");
        assertThat(count(url, "SELECT count(*) FROM databasechangelog")).isEqualTo(applied);
        assertThat(count(url, "SELECT count(*) FROM users")).isZero();
    }

    @Test
    void aDatabaseAheadOfTheJarIsRefused() {
        String url = TestPostgres.newMigratedDatabase();
        execute(url, "DELETE FROM migration_fingerprint");
        execute(url, "INSERT INTO databasechangelog (id, author, filename, dateexecuted, orderexecuted, exectype)"
                + " VALUES ('0999-from-a-newer-jar', 'simple-model-api', 'migrations/0999_newer.sql', now(), 999,"
                + " 'EXECUTED')");

        CliTest.Run run = cli(url, "users", "add", "--name", "alice");

        assertThat(run.exitCode()).as(run.toString()).isNotZero();
        assertThat(run.errorLine()).startsWith("error: The database is ahead of this jar: it has 1 migrations this jar"
                + " does not know (0999-from-a-newer-jar among them)");
        assertThat(count(url, "SELECT count(*) FROM users")).isZero();
    }

    @Test
    void afterDbMigrateCommandsWorkThoughNoRecordSaysSo() {
        String url = TestPostgres.newDatabase();

        CliTest.Run migrate = cli(url, "db", "migrate");
        assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
        CliTest.Run add = cli(url, "users", "add", "--name", "alice");

        assertThat(add.exitCode()).as(add.toString()).isZero();
        assertThat(add.lastStdoutLine()).matches(CliTest.KEY);
    }

    private static CliTest.Run cli(String url, String... args) {
        return InProcessCli.run(Map.of("DATABASE_URL", url, "DATABASE_USER", TestPostgres.USER,
                "AUDIT_LOG", temp.resolve("audit.log").toString()), args);
    }

    private static void execute(String url, String sql) {
        new TestData(url).jdbi().useHandle(h -> h.execute(sql));
    }

    private static long count(String url, String sql) {
        return new TestData(url).jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }
}
