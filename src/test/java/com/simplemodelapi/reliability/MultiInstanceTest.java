package com.simplemodelapi.reliability;

import com.simplemodelapi.app.DatabaseSetup;
import com.simplemodelapi.app.SimpleModelApiConfiguration;
import com.simplemodelapi.cli.CliTest;
import com.simplemodelapi.reliability.Http.Reply;
import com.simplemodelapi.testing.Poll;
import com.simplemodelapi.testing.TestApp;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static com.simplemodelapi.testing.Poll.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How users scale out: several stateless servers on one PostgreSQL. They start together on an empty database and
 * take turns migrating it (the migration lock), both serve, and a CLI change reaches both by their next scheduled
 * refresh without anyone calling the refresh task.
 */
class MultiInstanceTest {
    private static final Duration REFRESH_INTERVAL = Duration.ofSeconds(1);
    private static final String ZEROES = "{\"inputs\": {\"x1\": 0, \"x2\": 0}}";

    @TempDir
    Path temp;

    private final List<DropwizardTestSupport<SimpleModelApiConfiguration>> servers = new ArrayList<>();
    private final Http http = new Http();

    /** What the test sees of the two starts while it holds the migration lock. */
    private record StartsSeen(long waitingForTheLock, boolean changelogExists, long startsOver) {
    }

    @AfterEach
    void stopServers() {
        servers.forEach(DropwizardTestSupport::after);
    }

    @Test
    void twoServersStartTogetherOnAnEmptyDatabaseAndBothSeeACliChangeByTheirNextRefresh() throws Exception {
        String database = TestPostgres.newDatabase();
        for (int i = 0; i < 2; i++) {
            // Same settings for both: Dropwizard passes overrides through system properties, which the two share.
            servers.add(TestApp.support(database, temp.resolve("audit.log"),
                    ConfigOverride.config("migrateOnStart", "true"),
                    ConfigOverride.config("refreshInterval", REFRESH_INTERVAL.toMillis() + "ms")));
        }
        TestData data = new TestData(database);

        // Holding the migration lock keeps both starts at the point where they would race to create Liquibase's
        // tables; only when both wait there is the lock released, so they must take turns or collide.
        List<CompletableFuture<Void>> starts;
        try (Handle lock = data.jdbi().open()) {
            lock.execute("SELECT pg_advisory_lock(?)", DatabaseSetup.MIGRATION_LOCK);
            starts = servers.stream().map(server -> CompletableFuture.runAsync(() -> {
                try {
                    server.before();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            })).toList();
            StartsSeen seen = Poll.until(PATIENCE, () -> new StartsSeen(waitingForTheMigrationLock(lock),
                            changelogExists(lock), starts.stream().filter(CompletableFuture::isDone).count()),
                    s -> s.waitingForTheLock() == 2 || s.startsOver() > 0,
                    "both servers waiting for the migration lock the test holds");
            assertThat(seen).as("while the test holds the migration lock")
                    .isEqualTo(new StartsSeen(2, false, 0));
        }
        for (CompletableFuture<Void> start : starts) {
            start.get(PATIENCE.toSeconds() * 2, TimeUnit.SECONDS);
        }

        long duplicates = data.jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) - count(DISTINCT (id, author, filename)) FROM databasechangelog")
                .mapTo(Long.class).one());
        assertThat(duplicates).as("each migration applied once").isZero();
        boolean locked = data.jdbi().withHandle(h -> h.createQuery("SELECT bool_or(locked) FROM databasechangeloglock")
                .mapTo(Boolean.class).one());
        assertThat(locked).as("the migration lock released").isFalse();
        String key = data.user("scaler");
        data.linearModel("first", 1.0);
        data.linearModel("second", 2.0);
        data.grant("scaler", "first");
        for (DropwizardTestSupport<SimpleModelApiConfiguration> server : servers) {
            Reply reply = Poll.until(PATIENCE, () -> predict(server, key, "first"),
                    r -> r.status() == 200, "a prediction from the server on port " + server.getLocalPort());
            assertThat(reply.json().get("outputs").get("prediction").asDouble()).isEqualTo(1.0);
            assertThat(predict(server, key, "second").status()).as("not granted yet").isEqualTo(404);
        }

        CliTest.Run grant = CliTest.run(Map.of("DATABASE_URL", database, "DATABASE_USER", TestPostgres.USER,
                "AUDIT_LOG", temp.resolve("cli-audit.log").toString()), "grants", "add", "--user", "scaler",
                "--model", "second");
        assertThat(grant.exitCode()).as(grant.toString()).isZero();
        Instant granted = Instant.now();

        for (DropwizardTestSupport<SimpleModelApiConfiguration> server : servers) {
            // A refresh that ends after the grant may have begun before it; the one that ends after that began after
            // it. However slow the machine, that second refresh must serve the grant.
            Instant endedAfterTheGrant = Poll.until(PATIENCE, () -> lastRefresh(server), at -> at.isAfter(granted),
                    "a scheduled refresh ending after the grant, on the server on port " + server.getLocalPort());
            Poll.until(PATIENCE, () -> lastRefresh(server), at -> at.isAfter(endedAfterTheGrant),
                    "the scheduled refresh after " + endedAfterTheGrant + ", on port " + server.getLocalPort());
            Reply reply = predict(server, key, "second");
            assertThat(reply.status()).as("the grant served by the first refresh begun after it, on port %d: %s",
                    server.getLocalPort(), reply.body()).isEqualTo(200);
            assertThat(reply.json().get("outputs").get("prediction").asDouble()).isEqualTo(2.0);
        }
    }

    private static long waitingForTheMigrationLock(Handle handle) {
        // An advisory lock on a bigint key shows in pg_locks as its high and low halves, classid and objid.
        return handle.createQuery("""
                        SELECT count(*) FROM pg_locks
                        WHERE locktype = 'advisory' AND NOT granted AND objsubid = 1
                          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                          AND (classid::bigint << 32 | objid::bigint) = :key""")
                .bind("key", DatabaseSetup.MIGRATION_LOCK).mapTo(Long.class).one();
    }

    private static boolean changelogExists(Handle handle) {
        return handle.createQuery("SELECT to_regclass('databasechangelog') IS NOT NULL").mapTo(Boolean.class).one();
    }

    /** When the server's last catalog refresh ended, as its models health check says ("... loaded at <instant>"). */
    private Instant lastRefresh(DropwizardTestSupport<SimpleModelApiConfiguration> server) {
        Reply health = http.get("http://localhost:" + server.getAdminPort() + "/healthcheck");
        return Instant.parse(health.json().get("models").get("loaded_at").asText());
    }

    private Reply predict(DropwizardTestSupport<SimpleModelApiConfiguration> server, String key, String model) {
        return http.post("http://localhost:" + server.getLocalPort() + "/v1/models/" + model + "/predict", key, ZEROES);
    }
}
