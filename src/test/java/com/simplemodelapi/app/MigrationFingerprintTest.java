package com.simplemodelapi.app;

import com.codahale.metrics.MetricRegistry;
import com.simplemodelapi.testing.TestPostgres;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A start skips Liquibase only when the database provably has every migration: a newer jar's migration is still
 * applied, and anything that changed the changelog table since, or the record itself, brings Liquibase back.
 */
class MigrationFingerprintTest {
    private static final String PROBE = """
            --liquibase formatted sql

            --changeset simple-model-api-test:0999
            CREATE TABLE probe (id INTEGER);
            --rollback DROP TABLE probe;
            """;

    @TempDir
    Path newerJar;

    private DatabaseFactory database;
    private Jdbi jdbi;

    @BeforeEach
    void emptyDatabase() {
        database = TestPostgres.configFor(TestPostgres.newDatabase()).getDatabase();
        jdbi = Jdbi.create(database.getUrl(), TestPostgres.USER, "");
    }

    @Test
    void liquibaseRunsOnceThenAStartFindsEverythingAppliedWithoutIt() {
        assertThat(migrate()).as("first start: Liquibase applies everything").isTrue();
        assertThat(migrate()).as("second start: nothing to do, and it knows without Liquibase").isFalse();

        assertThat(tableExists("model_artifacts")).isTrue();
        assertThat(count("SELECT count(*) FROM databasechangelog")).isEqualTo(migrationsInThisJar());
    }

    @Test
    void aMigrationAddedInANewerJarIsApplied() throws IOException {
        migrate();

        assertThat(migrateWith(PROBE)).as("the new migration changes the fingerprint").isTrue();
        assertThat(tableExists("probe")).isTrue();
        assertThat(migrateWith(PROBE)).as("and once applied, it is recorded").isFalse();
        assertThat(migrate()).as("the older jar again: its files differ from the record").isTrue();
    }

    @Test
    void anEditedMigrationStillFailsAsLiquibaseWouldHaveIt() throws IOException {
        migrate();
        migrateWith(PROBE);

        assertThatThrownBy(() -> migrateWith(PROBE.replace("id INTEGER", "id BIGINT")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("check sum").hasMessageContaining("0999_probe.sql");
    }

    @Test
    void aChangelogChangedBehindTheRecordsBackRunsLiquibase() throws IOException {
        migrate();
        migrateWith(PROBE);
        // What "db rollback-count 1" does: the recorded migration files are the same, the database is not.
        jdbi.useHandle(h -> h.execute("DROP TABLE probe; DELETE FROM databasechangelog WHERE id = '0999'"));

        assertThat(migrateWith(PROBE)).isTrue();
        assertThat(tableExists("probe")).as("applied again").isTrue();
    }

    @Test
    void aRecordOfOtherMigrationFilesRunsLiquibase() {
        migrate();
        jdbi.useHandle(h -> h.execute("UPDATE migration_fingerprint SET migration_files = 'from another jar'"));

        assertThat(migrate()).isTrue();
        assertThat(migrate()).as("and the record is right again").isFalse();
    }

    @Test
    void aMissingRecordRunsLiquibase() {
        migrate();
        jdbi.useHandle(h -> h.execute("DELETE FROM migration_fingerprint"));

        assertThat(migrate()).isTrue();
        assertThat(migrate()).isFalse();
    }

    private boolean migrate() {
        return DatabaseSetup.migrate(database, new MetricRegistry());
    }

    /** Migrates as a jar with one more migration would: Liquibase and the fingerprint both read the context loader. */
    private boolean migrateWith(String probeMigration) throws IOException {
        Path migrations = Files.createDirectories(newerJar.resolve("migrations"));
        Files.writeString(migrations.resolve("0999_probe.sql"), probeMigration);
        Thread thread = Thread.currentThread();
        ClassLoader original = thread.getContextClassLoader();
        try (URLClassLoader withProbe = new URLClassLoader(new URL[] {newerJar.toUri().toURL()}, original)) {
            thread.setContextClassLoader(withProbe);
            return migrate();
        } finally {
            thread.setContextClassLoader(original);
        }
    }

    private boolean tableExists(String table) {
        return jdbi.withHandle(h -> h.createQuery("SELECT to_regclass(:table) IS NOT NULL").bind("table", table)
                .mapTo(Boolean.class).one());
    }

    private long count(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private static long migrationsInThisJar() {
        try (var files = Files.list(Path.of("src/main/resources/migrations"))) {
            List<Path> sql = files.filter(f -> f.toString().endsWith(".sql")).toList();
            return sql.size();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
