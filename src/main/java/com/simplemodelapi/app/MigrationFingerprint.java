package com.simplemodelapi.app;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The row in {@code migration_fingerprint} that says which migration files Liquibase last applied here in full
 * ({@link MigrationFiles#fingerprint}) and what {@code databasechangelog} held right after. While both still match,
 * Liquibase would find nothing to do, so a start can skip it: Liquibase takes seconds to load and check, these two
 * queries milliseconds. A new or edited migration, another Liquibase, or any change to the changelog table (a
 * rollback, {@code db tag}, cleared checksums, a migration run by the {@code db} commands) breaks the match, and
 * Liquibase runs as before. Callers hold the migration lock.
 */
final class MigrationFingerprint {
    /** One line per applied changeset, in order; {@code dateexecuted} is left out, its text depends on the session. */
    private static final String CHANGELOG_DIGEST = """
            (SELECT md5(coalesce(string_agg(json_build_array(id, author, filename, md5sum, exectype, orderexecuted,
                                                             deployment_id, tag)::text,
                                            E'\\n' ORDER BY orderexecuted, id, author, filename), ''))
             FROM databasechangelog)""";

    private MigrationFingerprint() {
    }

    /** Whether this database holds a record of exactly these migration files, and its changelog is unchanged since. */
    static boolean matches(Connection connection, String migrationFiles) throws SQLException {
        if (!tableExists(connection, "migration_fingerprint") || !tableExists(connection, "databasechangelog")) {
            return false;
        }
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT migration_files = ? AND changelog = " + CHANGELOG_DIGEST + " FROM migration_fingerprint")) {
            query.setString(1, migrationFiles);
            try (ResultSet row = query.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }

    /** Records that Liquibase has just applied everything in these migration files. */
    static void record(Connection connection, String migrationFiles) throws SQLException {
        String upsertRecord = """
                INSERT INTO migration_fingerprint (id, migration_files, changelog, recorded_at)
                VALUES (TRUE, ?, %s, now())
                ON CONFLICT (id) DO UPDATE SET migration_files = excluded.migration_files,
                    changelog = excluded.changelog, recorded_at = excluded.recorded_at""".formatted(CHANGELOG_DIGEST);
        try (PreparedStatement upsert = connection.prepareStatement(upsertRecord)) {
            upsert.setString(1, migrationFiles);
            upsert.executeUpdate();
        }
    }

    private static boolean tableExists(Connection connection, String table) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            query.setString(1, table);
            try (ResultSet row = query.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }
}
