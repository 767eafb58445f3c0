package com.simplemodelapi.reliability;

import com.simplemodelapi.testing.Poll;
import com.simplemodelapi.app.SimpleModelApiConfiguration;
import com.simplemodelapi.cli.CliTest;
import com.simplemodelapi.reliability.Http.Reply;
import com.simplemodelapi.testing.TestApp;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How users scale out: several stateless servers on one PostgreSQL. They start together on an empty database
 * (Liquibase's lock lets one migrate while the other waits), both serve, and a CLI change reaches both within one
 * refresh interval without anyone calling the refresh task.
 */
class MultiInstanceTest {
    private static final Duration REFRESH_INTERVAL = Duration.ofSeconds(1);
    private static final String ZEROES = "{\"inputs\": {\"x1\": 0, \"x2\": 0}}";

    @TempDir
    Path temp;

    private final List<DropwizardTestSupport<SimpleModelApiConfiguration>> servers = new ArrayList<>();
    private final Http http = new Http();

    @AfterEach
    void stopServers() {
        servers.forEach(DropwizardTestSupport::after);
    }

    @Test
    void twoServersStartTogetherOnAnEmptyDatabaseAndBothSeeACliChangeWithinTheRefreshInterval() throws Exception {
        String database = TestPostgres.newDatabase();
        for (int i = 0; i < 2; i++) {
            // Same settings for both: Dropwizard passes overrides through system properties, which the two share.
            servers.add(TestApp.support(database, temp.resolve("audit.log"),
                    ConfigOverride.config("migrateOnStart", "true"),
                    ConfigOverride.config("refreshInterval", REFRESH_INTERVAL.toMillis() + "ms")));
        }

        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Void>> starts = servers.stream().map(server -> CompletableFuture.runAsync(() -> {
            try {
                go.await();
                server.before();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        })).toList();
        go.countDown();
        for (CompletableFuture<Void> start : starts) {
            start.get(120, TimeUnit.SECONDS);
        }

        TestData data = new TestData(database);
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
            Reply reply = Poll.until(Duration.ofSeconds(10), () -> predict(server, key, "first"),
                    r -> r.status() == 200, "a prediction from the server on port " + server.getLocalPort());
            assertThat(reply.json().get("outputs").get("prediction").asDouble()).isEqualTo(1.0);
            assertThat(predict(server, key, "second").status()).as("not granted yet").isEqualTo(404);
        }

        CliTest.Run grant = CliTest.run(Map.of("DATABASE_URL", database, "DATABASE_USER", TestPostgres.USER,
                "AUDIT_LOG", temp.resolve("cli-audit.log").toString()), "grants", "add", "--user", "scaler",
                "--model", "second");
        assertThat(grant.exitCode()).as(grant.toString()).isZero();
        long granted = System.nanoTime();

        for (DropwizardTestSupport<SimpleModelApiConfiguration> server : servers) {
            // One interval until the next refresh starts, and some slack for the refresh itself on a busy machine.
            Reply reply = Poll.until(REFRESH_INTERVAL.plusSeconds(2), () -> predict(server, key, "second"),
                    r -> r.status() == 200, "the grant served by the server on port " + server.getLocalPort());
            assertThat(reply.json().get("outputs").get("prediction").asDouble()).isEqualTo(2.0);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - granted)).isLessThan(REFRESH_INTERVAL.plusSeconds(2));
    }

    private Reply predict(DropwizardTestSupport<SimpleModelApiConfiguration> server, String key, String model) {
        return http.post("http://localhost:" + server.getLocalPort() + "/v1/models/" + model + "/predict", key, ZEROES);
    }
}
