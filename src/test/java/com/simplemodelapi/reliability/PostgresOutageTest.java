package com.simplemodelapi.reliability;

import com.simplemodelapi.testing.Poll;
import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.app.SimpleModelApiConfiguration;
import com.simplemodelapi.catalog.ChangeListener;
import com.simplemodelapi.catalog.LiveCatalog;
import com.simplemodelapi.reliability.Http.Reply;
import com.simplemodelapi.testing.LogCapture;
import com.simplemodelapi.testing.LogCapture.Line;
import com.simplemodelapi.testing.PrometheusText;
import com.simplemodelapi.testing.RestartablePostgres;
import com.simplemodelapi.testing.TestApp;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.usage.service.UsageFlusher;
import io.dropwizard.servlets.tasks.TaskServlet;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static com.simplemodelapi.testing.Poll.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL stops under a running server and comes back: predictions keep answering from memory and the server stays
 * ready, the health checks and the refreshes report the outage without a stack trace, and both recover by themselves
 * when PostgreSQL returns on the same port with the same data.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresOutageTest {
    private static final String INPUTS = "{\"inputs\": {\"x1\": 0, \"x2\": 0}}";
    private static final Duration REFRESH_INTERVAL = Duration.ofSeconds(1);
    /** Dropwizard's health module, which logs each change of a scheduled check's state. */
    private static final String HEALTH_CHECKS = "io.dropwizard.health.HealthCheckManager";

    @TempDir
    static Path temp;

    private static RestartablePostgres postgres;
    private static LogCapture logs;
    private static DropwizardTestSupport<SimpleModelApiConfiguration> app;
    private static TestData data;
    private static String key;
    private static final Http http = new Http();

    @BeforeAll
    static void startServer() throws Exception {
        postgres = RestartablePostgres.startIn(temp.resolve("postgres"));
        logs = LogCapture.start();
        app = TestApp.support(postgres.jdbcUrl(), temp.resolve("audit.log"),
                ConfigOverride.config("refreshInterval", REFRESH_INTERVAL.toMillis() + "ms"));
        app.before();
        data = new TestData(postgres.jdbcUrl());
        key = data.user("steady");
        data.linearModel("steady-model", 1.0);
        data.grant("steady", "steady-model");
        assertThat(http.post(admin("/tasks/refresh")).status()).isEqualTo(200);
    }

    @AfterAll
    static void stopServer() {
        if (app != null) {
            app.after();
        }
        if (logs != null) {
            logs.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    @Order(1)
    void anOutageIsReportedWithoutStackTracesWhilePredictionsKeepAnswering() {
        assertThat(health().status()).as("healthy before the outage").isEqualTo(200);
        Poll.until(PATIENCE, PostgresOutageTest::postgresCheck, healthy -> healthy == 1,
                "the scheduled postgres check passing");
        int linesBefore = logs.all().size();
        long outageStart = System.nanoTime();

        postgres.stop();

        // The very first health check after PostgreSQL went away already says so: the checks run when asked.
        Reply health = health();
        assertThat(health.status()).as(health.body()).isEqualTo(500);
        assertThat(health.json().get("postgres").get("healthy").asBoolean()).as(health.body()).isFalse();

        for (int i = 0; i < 50; i++) {
            assertPredictsVersion(1, 1.0);
        }

        Reply refresh = http.post(admin("/tasks/refresh"));
        assertThat(refresh.status()).as(refresh.body()).isEqualTo(500);
        assertThat(refresh.body()).contains("Refresh failed; still serving the catalog loaded before");
        Reply again = http.post(admin("/tasks/refresh"));
        assertThat(again.status()).as(again.body()).isEqualTo(500);

        // Scheduled refreshes fail too; wait for a few of them.
        Poll.until(PATIENCE, () -> logs.of(LiveCatalog.class).size(), n -> n >= 3,
                "three failed scheduled refreshes logged");
        assertPredictsVersion(1, 1.0);

        // The scheduled checks have seen the outage too, and say so to Prometheus; readiness is not theirs to decide.
        Poll.until(PATIENCE, PostgresOutageTest::postgresCheck, healthy -> healthy == 0,
                "sma_health_check_healthy for postgres at 0");
        Reply ready = ready();
        assertThat(ready.status()).as(ready.body()).isEqualTo(200);
        assertThat(ready.json()).anySatisfy(check -> {
            assertThat(check.get("name").asText()).isEqualTo("postgres");
            assertThat(check.get("healthy").asBoolean()).isFalse();
            assertThat(check.get("critical").asBoolean()).isFalse();
        });
        assertPredictsVersion(1, 1.0);

        JsonNode models = health().json().get("models");
        assertThat(models.get("healthy").asBoolean()).as(models.toString()).isFalse();
        assertThat(models.get("message").asText()).contains("The last catalog refresh").contains("failed");

        List<Line> scheduled = logs.of(LiveCatalog.class);
        // Measured after the lines are read: more refreshes may have failed since, never fewer.
        double outageSeconds = (System.nanoTime() - outageStart) / 1e9;
        List<Line> during = logs.all().subList(linesBefore, logs.all().size());
        assertThat(during).as("no stack trace anywhere in the log during the outage")
                .noneMatch(Line::hasStackTrace);
        assertThat(during).as("every line is one line").noneMatch(line -> line.message().contains("\n"));

        assertThat(scheduled).allSatisfy(line -> {
            assertThat(line.level()).isEqualTo(Level.WARN);
            assertThat(line.message()).startsWith("Catalog refresh failed; still serving the catalog loaded before: ");
        });
        assertThat(scheduled.size()).as("one warning per scheduled refresh, not a flood")
                .isLessThanOrEqualTo((int) (outageSeconds / REFRESH_INTERVAL.toSeconds()) + 1);

        assertThat(logs.of(TaskServlet.class)).as("one line per failed refresh task").hasSize(2)
                .allSatisfy(line -> assertThat(line.hasStackTrace()).isFalse());

        assertThat(during).as("nothing but the refresh failures, the health checks, the lost listening connection and"
                        + " the usage counts kept in memory complains")
                .filteredOn(line -> line.level().isGreaterOrEqual(Level.WARN))
                .allMatch(line -> line.logger().equals(LiveCatalog.class.getName())
                        || line.logger().equals(TaskServlet.class.getName())
                        || line.logger().equals(HEALTH_CHECKS) && line.message().startsWith(
                                "A non-critical dependency is now unhealthy")
                        || line.logger().equals(ChangeListener.class.getName())
                        || line.logger().equals(UsageFlusher.class.getName()),
                        "from the catalog, the task, the health checks, the change listener or the usage flusher");
        assertThat(logs.of(UsageFlusher.class)).filteredOn(line -> line.level().isGreaterOrEqual(Level.WARN))
                .as("one warning for the outage, not one per flush").hasSizeLessThanOrEqualTo(1)
                .allSatisfy(line -> assertThat(line.message()).contains("kept in memory"));
        assertThat(logs.of(ChangeListener.class)).filteredOn(line -> line.level().isGreaterOrEqual(Level.WARN))
                .as("one warning for the lost connection, not one per attempt to reconnect during the outage")
                .hasSizeLessThanOrEqualTo(1)
                .allSatisfy(line -> assertThat(line.message())
                        .startsWith("Lost the connection that listens for operators' changes; reconnecting"));
    }

    @Test
    @Order(2)
    void healthAndRefreshRecoverWhenPostgresReturnsWithoutARestart() {
        assertThat(postgres.isRunning()).isFalse();

        postgres.start();
        // A change made while the server was cut off from the database: a new version of the model.
        data.linearModel("steady-model", 2.0);

        Reply health = Poll.until(PATIENCE, PostgresOutageTest::health, reply -> reply.status() == 200,
                "healthy again");
        assertThat(health.json().get("postgres").get("healthy").asBoolean()).isTrue();
        assertThat(health.json().get("models").get("healthy").asBoolean()).isTrue();
        Poll.until(PATIENCE, () -> predict().json().get("version").asInt(), version -> version == 2,
                "the version stored after the restart served, through the scheduled refresh");
        assertPredictsVersion(2, 2.0);
        assertThat(logs.of(LiveCatalog.class)).anySatisfy(line ->
                assertThat(line.message()).startsWith("Catalog refresh works again, after "));
        Poll.until(PATIENCE, () -> logs.of(ChangeListener.class).stream().map(Line::message).toList(),
                lines -> lines.stream().anyMatch(line -> line.startsWith("Listening for operators' changes again")),
                "the change listener listening again");
        assertThat(http.post(admin("/tasks/refresh")).status()).isEqualTo(200);
        Poll.until(PATIENCE, PostgresOutageTest::postgresCheck, healthy -> healthy == 1,
                "sma_health_check_healthy for postgres back at 1");
        assertThat(ready().status()).isEqualTo(200);
    }

    /**
     * A restart the server does not notice (no request in between) leaves the pool holding connections to the old
     * server process; each is checked before use and replaced, so the first health check and refresh succeed.
     */
    @Test
    @Order(3)
    void aQuickRestartLeavesNoDeadConnectionBehind() {
        for (int i = 0; i < 5; i++) {
            assertThat(health().status()).isEqualTo(200);
            assertThat(http.post(admin("/tasks/refresh")).status()).isEqualTo(200);
        }

        postgres.stop();
        postgres.start();

        // A scheduled refresh caught mid-query by the stop failed, and the models check says so until the next one
        // works; the postgres check is the pool's first use since the restart.
        Reply health = health();
        assertThat(health.json().get("postgres").get("healthy").asBoolean()).as(health.body()).isTrue();
        for (int i = 0; i < 5; i++) {
            Reply refresh = http.post(admin("/tasks/refresh"));
            assertThat(refresh.status()).as(refresh.body()).isEqualTo(200);
        }
        Reply after = health();
        assertThat(after.status()).as(after.body()).isEqualTo(200);
    }

    private static void assertPredictsVersion(int version, double prediction) {
        Reply reply = predict();
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().get("version").asInt()).isEqualTo(version);
        assertThat(reply.json().get("outputs").get("prediction").asDouble()).isEqualTo(prediction);
    }

    private static Reply predict() {
        return http.post("http://localhost:" + app.getLocalPort() + "/v1/models/steady-model/predict", key, INPUTS);
    }

    /** Readiness, on the application port, with every check listed. */
    private static Reply ready() {
        return http.get("http://localhost:" + app.getLocalPort() + "/health-check?name=all");
    }

    /** The postgres check as its schedule last ran it; 0 also when the series is missing. */
    private static double postgresCheck() {
        Reply scrape = http.get(admin("/prometheus"));
        assertThat(scrape.status()).isEqualTo(200);
        return PrometheusText.parse(scrape.body()).value("sma_health_check_healthy", "check", "postgres",
                "critical", "false");
    }

    private static Reply health() {
        return http.get(admin("/healthcheck"));
    }

    private static String admin(String path) {
        return "http://localhost:" + app.getAdminPort() + path;
    }
}
