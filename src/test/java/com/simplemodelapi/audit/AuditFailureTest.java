package com.simplemodelapi.audit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.app.SimpleModelApiConfiguration;
import com.simplemodelapi.testing.AuditLines;
import com.simplemodelapi.testing.Poll;
import com.simplemodelapi.testing.PrometheusText;
import com.simplemodelapi.testing.TestApp;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static com.simplemodelapi.testing.Poll.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;

/** What the running service does when its audit log cannot be written: fail closed by default, or open if told. */
class AuditFailureTest {
    private static final String BODY = "{\"inputs\": {\"x1\": 1.0, \"x2\": 2.0}}";

    private final HttpClient http = HttpClient.newHttpClient();
    private DropwizardTestSupport<SimpleModelApiConfiguration> app;
    private String key;

    @TempDir
    Path temp;

    @AfterEach
    void stop() {
        if (app != null) {
            app.after();
        }
    }

    @Test
    void whileTheAuditDirectoryIsGoneRequestsGet503AndEveryCallIsWrittenOnceItIsBack() throws Exception {
        Path dir = temp.resolve("logs");
        Path file = dir.resolve("audit.log");
        start(file);
        List<String> answered = new ArrayList<>();
        answered.add(requestId(predict(200)));

        Files.delete(file);
        Files.delete(dir);
        HttpResponse<String> refused = awaitStatus(503);
        answered.add(requestId(refused));
        JsonNode error = TestData.JSON.readTree(refused.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("audit_unavailable");
        assertThat(refused.body()).doesNotContain(temp.toString());
        answered.add(requestId(predict(503)));
        // Refused before Jersey sees them, and counted all the same, under the route they asked for.
        Poll.until(PATIENCE, () -> prometheus().value("sma_http_requests_total",
                        "route", "/v1/models/{name}/predict", "status_class", "5xx"), count -> count >= 2,
                "the refusals counted as 5xx of the predict route");
        JsonNode health = health(500);
        assertThat(health.at("/audit/healthy").asBoolean()).isFalse();
        assertThat(health.at("/audit/message").asText()).contains("NoSuchFileException");
        assertThat(health.at("/audit-accepting/healthy").asBoolean()).isFalse();
        assertThat(health.at("/postgres/healthy").asBoolean()).isTrue();
        // Not ready: the readiness probe is refused like any request, and the check readiness asks says why.
        assertThat(ready().statusCode()).isEqualTo(503);
        awaitReadinessCheck(0);

        Files.createDirectory(dir);
        HttpResponse<String> served = awaitStatus(200);
        answered.add(requestId(served));
        assertThat(health(200).at("/audit/healthy").asBoolean()).isTrue();
        awaitReadinessCheck(1);
        Poll.until(PATIENCE, () -> ready().statusCode(), status -> status == 200, "ready again");
        app.after();
        app = null;

        // Every call that got an answer is in the log once, the refused ones too: while failing closed nothing is lost.
        List<String> logged = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            logged.add(TestData.JSON.readTree(line).get("request_id").asText());
        }
        assertThat(logged).doesNotHaveDuplicates().containsAll(answered.subList(1, answered.size()));
    }

    @Test
    void whenTheAuditLoggingThreadDiesRequestsGet503AtOnceAndTheAuditCheckSaysToRestart() throws Exception {
        Path file = temp.resolve("audit.log");
        start(file);
        String served = requestId(predict(200));
        Poll.until(PATIENCE, () -> AuditLines.read(file).size(), lines -> lines == 1, "the first line written");

        // The logging thread asks each event for its markers; an InternalError, which says the JVM is broken, ends it.
        Logger audit = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(AuditLogger.LOGGER);
        audit.callAppenders(new LoggingEvent(AuditFailureTest.class.getName(), audit, Level.INFO, "kills", null, null) {
            @Override
            public List<Marker> getMarkerList() {
                throw new InternalError("simulated failure of the JVM");
            }
        });
        HttpResponse<String> refused = awaitStatus(503);
        assertThat(TestData.JSON.readTree(refused.body()).at("/error/code").asText()).isEqualTo("audit_unavailable");
        // The refusal leaves the body unread, so the connection is not reused: a client must not send on it again.
        assertThat(refused.headers().firstValue("Connection")).hasValue("close");

        // More callers at once than threads would be left if each waited on the dead thread's queue.
        ExecutorService callers = Executors.newFixedThreadPool(16);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                answers.add(callers.submit(this::sendPredict));
            }
            for (Future<HttpResponse<String>> answer : answers) {
                assertThat(answer.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(503);
            }
        } finally {
            callers.shutdownNow();
            audit.getLoggerContext().getStatusManager().clear();
        }
        JsonNode health = health(500);
        assertThat(health.at("/audit/healthy").asBoolean()).isFalse();
        assertThat(health.at("/audit/message").asText()).contains("died", "restart the server");
        assertThat(health.at("/postgres/healthy").asBoolean()).isTrue();
        assertThat(ready().statusCode()).isEqualTo(503);
        awaitReadinessCheck(0);
        assertThat(AuditLines.requestIds(file)).containsExactly(served);
    }

    @Test
    void failingOpenKeepsServingAndCountsTheLostLinesInAMetric() throws Exception {
        Path file = temp.resolve("audit.log");
        start(file, ConfigOverride.config(TestApp.AUDIT_APPENDER + "failClosed", "false"));
        predict(200);
        Poll.until(PATIENCE, () -> file.toFile().length(), size -> size > 0, "the first line written");
        Files.delete(file);
        Files.createSymbolicLink(file, Path.of("/dev/full"));

        for (int i = 0; i < 5; i++) {
            predict(200);
        }
        Poll.until(PATIENCE, this::lost, lost -> lost == 5, "five lost lines counted");
        assertThat(prometheus().value("sma_audit_lines_lost_total")).isEqualTo(5);
        JsonNode health = health(500);
        assertThat(health.at("/audit/healthy").asBoolean()).as("alerted on").isFalse();
        assertThat(health.at("/audit-accepting/healthy").asBoolean()).isTrue();
        assertThat(health.at("/audit-accepting/message").asText()).contains("fails open");
        // Still ready, having had the time to find the file unwritable: it serves requests, so it stays ready.
        Poll.until(PATIENCE, () -> prometheus().value("sma_health_check_healthy", "check", "audit", "critical",
                "false"), healthy -> healthy == 0, "the scheduled audit check failing");
        awaitReadinessCheck(1);
        HttpResponse<String> ready = ready();
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        Poll.until(PATIENCE, this::lost, lost -> lost == 6, "the readiness probe's line lost too");

        Files.delete(file);
        predict(200);
        Poll.until(PATIENCE, () -> health(-1).at("/audit/healthy").asBoolean(), Boolean::booleanValue,
                "the audit check healthy again");
        assertThat(lost()).isEqualTo(6);
    }

    private void start(Path auditFile, ConfigOverride... extra) throws Exception {
        String databaseUrl = TestPostgres.newDatabase();
        app = TestApp.support(databaseUrl, auditFile, extra);
        app.before();
        TestData data = new TestData(databaseUrl);
        key = data.user("alice");
        data.linearModel("m", 1.0);
        data.grant("alice", "m");
        HttpResponse<String> refresh = http.send(admin("/tasks/refresh")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refresh.statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> predict(int expected) {
        HttpResponse<String> response = sendPredict();
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
        return response;
    }

    private HttpResponse<String> sendPredict() {
        return send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + app.getLocalPort() + "/v1/models/m/predict"))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BODY)));
    }

    private HttpResponse<String> awaitStatus(int status) {
        return Poll.until(PATIENCE, this::sendPredict, response -> response.statusCode() == status,
                "a " + status + " answer");
    }

    /** The admin /healthcheck body; {@code expected} -1 takes any status. */
    private JsonNode health(int expected) {
        HttpResponse<String> response = send(admin("/healthcheck"));
        if (expected > 0) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
        }
        return json(response);
    }

    /** Readiness, on the application port. */
    private HttpResponse<String> ready() {
        return send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + app.getLocalPort() + "/health-check?name=all")));
    }

    /** Waits for the scheduled check that readiness asks about the audit log to find it as expected (1 healthy). */
    private void awaitReadinessCheck(int healthy) {
        Poll.until(PATIENCE, () -> prometheus().value("sma_health_check_healthy", "check", "audit-accepting",
                "critical", "true"), value -> value == healthy, "audit-accepting at " + healthy);
    }

    private PrometheusText prometheus() {
        HttpResponse<String> response = send(admin("/prometheus"));
        assertThat(response.statusCode()).isEqualTo(200);
        return PrometheusText.parse(response.body());
    }

    private long lost() {
        return json(send(admin("/metrics"))).at("/counters/audit.lost/count").asLong();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return TestData.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(response.body(), e);
        }
    }

    private HttpRequest.Builder admin(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + app.getAdminPort() + path));
    }

    private static String requestId(HttpResponse<String> response) {
        return response.headers().firstValue("X-Request-Id").orElseThrow();
    }
}
