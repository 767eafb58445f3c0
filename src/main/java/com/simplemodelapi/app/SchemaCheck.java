package com.simplemodelapi.app;

import com.codahale.metrics.MetricRegistry;
import com.simplemodelapi.common.SetupException;
import io.dropwizard.migrations.CloseableLiquibaseWithClassPathMigrationsFile;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.RanChangeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * For the operator commands, which never migrate: refuses a database whose migrations are not exactly this jar's,
 * with one line that says what to do. A newer CLI jar must not migrate production under older servers, and no jar
 * should write to a schema it was not built for.
 */
final class SchemaCheck {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaCheck.class);

    private SchemaCheck() {
    }

    static void requireCurrent(DatabaseFactory database, MetricRegistry metrics) {
        Optional<String> migrationFiles = MigrationFiles.fingerprint(Thread.currentThread().getContextClassLoader());
        try (Connection connection = DatabaseSetup.connect(database, Map.of())) {
            if (migrationFiles.isPresent() && MigrationFingerprint.matches(connection, migrationFiles.get())) {
                LOG.info("The database schema is this jar's: the database records that its migrations were all applied");
                return;
            }
            if (!hasChangelog(connection)) {
                throw new SetupException("The database has no migrations applied. Apply this jar's with"
                        + " 'db migrate config.yml' (or start a server with migrateOnStart), then run the command again.");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Checking the database schema failed: " + e.getMessage(), e);
        }
        compareWithLiquibase(database, metrics);
    }

    /** The slow way, when no record says the schema is current (migrated by 'db migrate', say): ask Liquibase. */
    private static void compareWithLiquibase(DatabaseFactory database, MetricRegistry metrics) {
        try (CloseableLiquibaseWithClassPathMigrationsFile liquibase = new CloseableLiquibaseWithClassPathMigrationsFile(
                database.build(metrics, "schema-check"), DatabaseSetup.MIGRATIONS_FILE)) {
            List<ChangeSet> notApplied = liquibase.listUnrunChangeSets(new Contexts(), new LabelExpression());
            if (!notApplied.isEmpty()) {
                throw new SetupException("The database is behind this jar: " + notApplied.size() + " of its migrations"
                        + " are not applied (the first is " + notApplied.get(0).getId() + "). Apply them with"
                        + " 'db migrate config.yml' using this jar, then run the command again.");
            }
            Collection<RanChangeSet> unknown = liquibase.listUnexpectedChangeSets(new Contexts(), new LabelExpression());
            if (!unknown.isEmpty()) {
                throw new SetupException("The database is ahead of this jar: it has " + unknown.size()
                        + " migrations this jar does not know (" + unknown.iterator().next().getId() + " among them)."
                        + " Run the command with the jar the database was migrated with, or a newer one.");
            }
            LOG.info("The database schema is this jar's: Liquibase finds its migrations all applied, and no others");
        } catch (SetupException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Checking the database schema failed: " + e.getMessage(), e);
        }
    }

    private static boolean hasChangelog(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT to_regclass('databasechangelog') IS NOT NULL");
             ResultSet row = query.executeQuery()) {
            return row.next() && row.getBoolean(1);
        }
    }
}
