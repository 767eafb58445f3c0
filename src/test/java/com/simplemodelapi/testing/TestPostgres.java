package com.simplemodelapi.testing;

import com.simplemodelapi.app.SimpleModelApiConfiguration;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL for the whole test run, started once, with a fresh database for every test class that asks,
 * so tests never see each other's rows.
 */
public final class TestPostgres {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;
    private static String migratedTemplate;

    private TestPostgres() {
    }

    private static synchronized EmbeddedPostgres server() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start the embedded PostgreSQL for tests"
                        + " (PostgreSQL refuses to run as root: run the tests as an ordinary user)", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is going away anyway
                }
            }));
        }
        return postgres;
    }

    /** Creates an empty database and returns its JDBC URL; user {@link #USER}, no password. */
    public static String newDatabase() {
        return url(createDatabase(""));
    }

    public static final String USER = "postgres";

    /**
     * A new database with the project's migrations applied; returns its JDBC URL. It is a copy of a template migrated
     * once per JVM, migration fingerprint included, so a server or CLI command started on it skips Liquibase as it
     * would on any database it migrated before. Tests of migrating itself start from {@link #newDatabase()}.
     */
    public static String newMigratedDatabase() {
        return url(createDatabase(" TEMPLATE " + migratedTemplate()));
    }

    /** The application's settings, pointed at a test database as the server and the CLI would be. */
    public static SimpleModelApiConfiguration configFor(String url) {
        SimpleModelApiConfiguration config = new SimpleModelApiConfiguration();
        config.getDatabase().setDriverClass("org.postgresql.Driver");
        config.getDatabase().setUrl(url);
        config.getDatabase().setUser(USER);
        config.getDatabase().setPassword("");
        return config;
    }

    /** A Jdbi on a new, migrated database. */
    public static Jdbi newMigratedJdbi() {
        return Jdbi.create(newMigratedDatabase(), USER, "").installPlugin(new SqlObjectPlugin());
    }

    private static synchronized String migratedTemplate() {
        if (migratedTemplate == null) {
            String name = createDatabase("");
            Migrate.apply(url(name));
            // PostgreSQL copies a database only while nobody is connected to it; from now on nobody can.
            execute("ALTER DATABASE " + name + " WITH IS_TEMPLATE true ALLOW_CONNECTIONS false");
            migratedTemplate = name;
        }
        return migratedTemplate;
    }

    private static String createDatabase(String options) {
        String name = "test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        execute("CREATE DATABASE " + name + options);
        return name;
    }

    private static void execute(String sql) {
        try (Connection connection = server().getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot run " + sql, e);
        }
    }

    private static String url(String name) {
        return "jdbc:postgresql://localhost:" + server().getPort() + "/" + name;
    }
}
