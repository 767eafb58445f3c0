package com.simplemodelapi.app;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.access.service.ApiKeys;
import com.simplemodelapi.testing.AuditLines;
import com.simplemodelapi.testing.OnnxModels;
import com.simplemodelapi.testing.Poll;
import com.simplemodelapi.testing.PrometheusText;
import com.simplemodelapi.testing.RawHttp;
import com.simplemodelapi.testing.TestApp;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Distinctive keys, headers and input values, sent in good and bad requests of every kind, must not come back out
 * anywhere: not in an error body, the audit log, the application log, the metrics (Dropwizard's or Prometheus's) or
 * the database.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class SecretsNeverLeakTest {
    private static final String DATABASE = TestPostgres.newDatabase();
    private static final Path AUDIT_LOG =
            Path.of("target", "audit", "SecretsNeverLeakTest-" + UUID.randomUUID() + ".log").toAbsolutePath();
    // A small body limit makes a 413 cheap to provoke.
    static final DropwizardAppExtension<SimpleModelApiConfiguration> APP = TestApp.extension(DATABASE, AUDIT_LOG,
            ConfigOverride.config("refreshInterval", "1h"), ConfigOverride.config("maxRequestBytes", "4KiB"));

    /** Input values no response, log or metric has any reason to hold. */
    private static final String NUMBER = "73519.824613";
    private static final String TEXT = "ultramarine-zq8812";
    private static final String HUGE_INTEGER = "735198246130000000000000";
    /** A bad key of the right prefix, and one that is well formed but was never issued. */
    private static final String BAD_KEY = "sma_PlumTreeQuartzNotAKey-4471";
    private static final String NEVER_ISSUED = ApiKeys.generate();
    /** A model name in a path, which the 404 used to quote. */
    private static final String PATH_PROBE = "path-probe-zz91";
    private static final String LAST_REQUEST = "last-" + UUID.randomUUID();

    private static String key;
    private static final ByteArrayOutputStream APPLICATION_LOG = new ByteArrayOutputStream();
    private static OutputStreamAppender<ILoggingEvent> capture;
    private static final List<HttpResponse<String>> ERRORS = new ArrayList<>();

    @BeforeAll
    static void sendEverything() throws Exception {
        captureApplicationLog();

        TestData data = new TestData(DATABASE);
        key = data.user("alice");
        data.user("bob");
        data.linearModel("linear", 1.0);
        data.linearModel("hidden", 1.0);
        data.model("""
                {"name": "counts", "algorithm": "linear-regression",
                 "inputs": [{"name": "n", "type": "integer"}, {"name": "x", "type": "number"}],
                 "parameters": {"coefficients": {"n": 1.5, "x": 0.5}, "intercept": 0.25}}""");
        data.model("""
                {"name": "paint", "algorithm": "onnx",
                 "inputs": [{"name": "x", "type": "number"}, {"name": "colour", "type": "string"}],
                 "parameters": {}}""", OnnxModels.perFeatureInputs());
        data.model("""
                {"name": "buggy", "algorithm": "failing", "inputs": [{"name": "x", "type": "number"}], "parameters": {}}""");
        for (String model : List.of("linear", "counts", "paint", "buggy")) {
            data.grant("alice", model);
        }
        data.grant("bob", "hidden");
        assertThat(RawHttp.send("POST", admin("/tasks/refresh"), List.of(), null).statusCode()).isEqualTo(200);

        String good = "{\"inputs\": {\"x1\": " + NUMBER + ", \"x2\": 1}}";
        ok("GET", "/v1/me", null);
        ok("GET", "/v1/models", null);
        ok("POST", "/v1/models/linear/predict", good);
        ok("POST", "/v1/models/linear/versions/1/predict",
                "{\"id\": \"b-1\", \"instances\": [{\"x1\": " + NUMBER + ", \"x2\": " + NUMBER + "}]}");
        ok("POST", "/v1/models/paint/predict", "{\"inputs\": {\"x\": " + NUMBER + ", \"colour\": \"" + TEXT + "\"}}");

        // 401
        error(401, "GET", "/v1/me", "Bearer " + BAD_KEY, null, null);
        error(401, "POST", "/v1/models/linear/predict", "Bearer " + BAD_KEY, "application/json", good);
        error(401, "POST", "/v1/models/linear/predict", "Bearer " + NEVER_ISSUED, "application/json", good);
        error(401, "GET", "/v1/models", "Basic " + key, null, null);
        error(401, "GET", "/v1/me?access_token=" + key, null, null, null);
        // 404
        error(404, "GET", "/v1/models/" + PATH_PROBE, "Bearer " + key, null, null);
        error(404, "POST", "/v1/models/" + PATH_PROBE + "/versions/1/predict", "Bearer " + key, "application/json", good);
        error(404, "POST", "/v1/models/hidden/predict", "Bearer " + key, "application/json", good);
        error(404, "POST", "/v1/models/linear/versions/9/predict", "Bearer " + key, "application/json", good);
        // 400
        error(400, "POST", "/v1/models/linear/predict", "Bearer " + key, "application/json",
                "{\"inputs\": {\"x1\": " + NUMBER + ", \"x2\": \"" + TEXT + "\"");
        error(400, "POST", "/v1/models/linear/predict", "Bearer " + key, "application/json",
                "{\"inputs\": [" + NUMBER + ", \"" + TEXT + "\"]}");
        error(400, "POST", "/v1/models/linear/predict", "Bearer " + key, "application/json",
                "{\"id\": {\"v\": \"" + TEXT + "\"}, \"inputs\": {\"x1\": " + NUMBER + ", \"x2\": 1}}");
        error(400, "POST", "/v1/models/linear/predict", "Bearer " + key, "application/json",
                "{\"inputs\": {\"x1\": " + NUMBER + "}, \"instances\": [{\"x1\": \"" + TEXT + "\"}]}");
        error(400, "POST", "/v1/models/linear/predict", "Bearer " + key, "application/json",
                "{\"inputs\": {\"x1\": " + NUMBER + ", \"x2\": " + NUMBER + "}, \"instance\": \"" + TEXT + "\"}");
        // 422: values that would tempt a message to quote them
        error(422, "POST", "/v1/models/linear/predict", "Bearer " + key, "application/json",
                "{\"inputs\": {\"x1\": \"" + TEXT + "\", \"x2\": " + NUMBER + "e999}}");
        error(422, "POST", "/v1/models/linear/predict", "Bearer " + key, "application/json",
                "{\"inputs\": {\"x1\": [" + NUMBER + "], \"x2\": {\"v\": \"" + TEXT + "\"}}}");
        error(422, "POST", "/v1/models/counts/predict", "Bearer " + key, "application/json",
                "{\"instances\": [{\"n\": " + HUGE_INTEGER + ", \"x\": 1}, {\"n\": " + NUMBER + ", \"x\": \"" + TEXT + "\"}]}");
        error(422, "POST", "/v1/models/paint/predict", "Bearer " + key, "application/json",
                "{\"inputs\": {\"x\": \"" + TEXT + "\", \"colour\": " + NUMBER + "}}");
        // 413, 415, 405
        error(413, "POST", "/v1/models/linear/predict", "Bearer " + key, "application/json",
                "{\"inputs\": {\"x1\": " + NUMBER + ", \"x2\": \"" + TEXT.repeat(400) + "\"}}");
        error(415, "POST", "/v1/models/linear/predict", "Bearer " + key, "text/plain", good + TEXT);
        error(405, "PUT", "/v1/models/linear", "Bearer " + key, "application/json", good);
        // 500: an evaluator that throws; its stack trace goes to the application log
        error(500, "POST", "/v1/models/buggy/predict", "Bearer " + key, "application/json",
                "{\"inputs\": {\"x\": " + NUMBER + "}}");

        HttpResponse<String> last = RawHttp.send(request("GET", "/v1/me", "Bearer " + key, null, null)
                .header("X-Request-Id", LAST_REQUEST).build());
        assertThat(last.statusCode()).isEqualTo(200);
    }

    @AfterAll
    static void stopCapturing() {
        if (capture != null) {
            ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(capture);
            capture.stop();
        }
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    /** Everything that reaches the root logger while the test runs, as the configured console would print it. */
    private static void captureApplicationLog() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%-5p [%X] %c: %m%n%rEx");
        encoder.start();
        capture = new OutputStreamAppender<>();
        capture.setContext(context);
        capture.setEncoder(encoder);
        capture.setOutputStream(APPLICATION_LOG);
        capture.start();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(capture);
    }

    private static String admin(String path) {
        return "http://localhost:" + APP.getAdminPort() + path;
    }

    private static HttpRequest.Builder request(String method, String path, String authorization, String contentType,
                                               String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getLocalPort() + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
    }

    private static void ok(String method, String path, String json) {
        HttpResponse<String> response = RawHttp.send(
                request(method, path, "Bearer " + key, json == null ? null : "application/json", json).build());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(200);
    }

    private static void error(int status, String method, String path, String authorization, String contentType,
                              String body) {
        HttpResponse<String> response = RawHttp.send(request(method, path, authorization, contentType, body).build());
        assertThat(response.statusCode()).as(method + " " + path + " " + body + ": " + response.body()).isEqualTo(status);
        ERRORS.add(response);
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Every secret and input value sent, and the forms they could take on the way out. */
    private static List<String> secrets() throws Exception {
        return List.of(key, key.substring(4), sha256(key), BAD_KEY, BAD_KEY.substring(4), NEVER_ISSUED,
                NEVER_ISSUED.substring(4), sha256(NEVER_ISSUED), NUMBER, "73519.82", "7.3519", TEXT, "zq8812",
                HUGE_INTEGER.substring(0, 15), "7.35198");
    }

    private static void assertHoldsNone(String where, String text) throws Exception {
        for (String secret : secrets()) {
            assertThat(text).as(where + " holds " + secret).doesNotContain(secret);
        }
    }

    // --- tests -----------------------------------------------------------------------------------------------------

    @Test
    void noErrorBodyHoldsASecretAnInputValueAStackTraceOrSql() throws Exception {
        assertThat(ERRORS).hasSize(22);
        for (HttpResponse<String> response : ERRORS) {
            String what = response.request().method() + " " + response.request().uri() + " -> " + response.statusCode();
            String body = response.body();
            assertThat(TestData.JSON.readTree(body).has("error")).as(what + ": " + body).isTrue();
            assertHoldsNone(what + " body " + body, body);
            assertHoldsNone(what + " headers", response.headers().map().toString());
            assertThat(body).as(what).doesNotContain(PATH_PROBE).doesNotContain("Exception").doesNotContain("\tat ")
                    .doesNotContainIgnoringCase("select ").doesNotContainIgnoringCase("insert ");
        }
    }

    @Test
    void theAuditLogHoldsNoSecretAndNoInputValue() throws Exception {
        String audit = AuditLines.awaitText(AUDIT_LOG, LAST_REQUEST);
        assertThat(audit.lines().count()).as("one line per request").isGreaterThanOrEqualTo(ERRORS.size() + 6);
        assertHoldsNone("audit log", audit);
        assertThat(audit).doesNotContainIgnoringCase("bearer").doesNotContainIgnoringCase("basic ")
                .doesNotContain("access_token");
    }

    @Test
    void theApplicationLogHoldsNoSecretAndNoInputValue() throws Exception {
        String log = APPLICATION_LOG.toString(StandardCharsets.UTF_8);
        // The 500 is logged with its stack trace: proof that the capture sees the requests' log lines.
        assertThat(log).contains("Unexpected error handling request").contains("IllegalStateException");
        assertHoldsNone("application log", log);
        assertThat(log).doesNotContainIgnoringCase("bearer").doesNotContain("access_token");
    }

    @Test
    void metricsHoldNoSecretAndNoInputValueInTheirNamesOrValues() throws Exception {
        String metrics = RawHttp.send("GET", admin("/metrics"), List.of(), null).body();
        JsonNode json = TestData.JSON.readTree(metrics);
        assertThat(json.get("timers").has("models.linear.predictions")).as("the right metrics").isTrue();
        List<String> names = new ArrayList<>();
        json.fields().forEachRemaining(kind -> kind.getValue().fieldNames().forEachRemaining(names::add));
        assertThat(names).isNotEmpty().noneMatch(name -> name.contains("sma_") || name.contains(PATH_PROBE)
                || name.toLowerCase().contains("bearer"));
        assertHoldsNone("/metrics", metrics);
        assertHoldsNone("/healthcheck", RawHttp.send("GET", admin("/healthcheck"), List.of(), null).body());
    }

    @Test
    void prometheusSeriesHoldNoSecretNoInputValueAndNoPathSentInTheirNamesOrLabels() throws Exception {
        // Once the last request is counted, a moment after its answer.
        PrometheusText scraped = Poll.until(Poll.PATIENCE,
                () -> PrometheusText.parse(RawHttp.send("GET", admin("/prometheus"), List.of(), null).body()),
                text -> text.value("sma_http_requests_total", "route", "/v1/me", "status_class", "2xx") == 2,
                "both answered calls to /v1/me counted");
        assertThat(scraped.value("sma_model_requests_total", "model", "linear", "version", "1", "status_class", "2xx"))
                .as("the right series").isEqualTo(2);
        // The values are left out: JVM figures could hold any digits by chance; names, labels and help cannot.
        String withoutValues = scraped.withoutValues();
        assertHoldsNone("/prometheus", withoutValues);
        assertThat(withoutValues).doesNotContain(PATH_PROBE).doesNotContain("version=\"9\"")
                .doesNotContain("model=\"hidden\"").doesNotContainIgnoringCase("bearer")
                .doesNotContain("access_token");
    }

    @Test
    void theDatabaseStoresOnlyTheKeysSha256() throws Exception {
        TestData data = new TestData(DATABASE);
        List<String> hashes = data.jdbi().withHandle(handle -> handle
                .createQuery("SELECT k.key_hash FROM api_keys k JOIN users u ON u.id = k.user_id WHERE u.name = 'alice'")
                .mapTo(String.class).list());
        assertThat(hashes).containsExactly(sha256(key));

        List<String> tables = data.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                        + " AND table_type = 'BASE TABLE'").mapTo(String.class).list());
        assertThat(tables).contains("api_keys", "users", "grants");
        for (String table : tables) {
            List<String> rows = data.jdbi().withHandle(handle -> handle
                    .createQuery("SELECT t::text FROM \"" + table + "\" t").mapTo(String.class).list());
            for (String row : rows) {
                assertThat(row).as(table).doesNotContain(key).doesNotContain(key.substring(4));
            }
        }
    }
}
