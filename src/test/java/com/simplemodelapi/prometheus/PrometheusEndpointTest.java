package com.simplemodelapi.prometheus;

import com.simplemodelapi.app.SimpleModelApiConfiguration;
import com.simplemodelapi.testing.Poll;
import com.simplemodelapi.testing.PrometheusText;
import com.simplemodelapi.testing.Promtool;
import com.simplemodelapi.testing.RawHttp;
import com.simplemodelapi.testing.TestApp;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /prometheus} on the admin port of the real application: the per-model and per-route series counted from
 * real requests, the audit, catalog and JVM series, and promtool's verdict on the whole scrape.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class PrometheusEndpointTest {
    private static final String DATABASE = TestPostgres.newDatabase();
    private static final DropwizardAppExtension<SimpleModelApiConfiguration> APP = TestApp.extension(DATABASE,
            Path.of("target", "audit", "PrometheusEndpointTest-" + UUID.randomUUID() + ".log").toAbsolutePath(),
            ConfigOverride.config("refreshInterval", "1h"));

    private static final String PREDICT = "/v1/models/{name}/predict";
    private static final String PREDICT_VERSION = "/v1/models/{name}/versions/{version}/predict";
    private static final String ONE = "{\"inputs\": {\"x1\": 3, \"x2\": 1}}";
    private static final String THREE = "{\"instances\": [{\"x1\": 1, \"x2\": 1}, {\"x1\": 2, \"x2\": 1},"
            + " {\"x1\": 3, \"x2\": 1}]}";
    private static final String MISSING_INPUT = "{\"inputs\": {\"x1\": 3}}";

    private static String key;

    @BeforeAll
    static void setUp() {
        TestData data = new TestData(DATABASE);
        key = data.user("scraped");
        data.linearModel("priced", 1.0);
        data.linearModel("priced", 2.0);
        data.linearModel("counted", 1.0);
        data.linearModel("ungranted", 1.0);
        data.model("""
                {"name": "broken", "algorithm": "failing", "inputs": [{"name": "x", "type": "number"}],
                 "parameters": {}}""");
        for (String model : List.of("priced", "counted", "broken")) {
            data.grant("scraped", model);
        }
        assertThat(RawHttp.send("POST", admin("/tasks/refresh"), List.of(), null).statusCode()).isEqualTo(200);
    }

    private static String admin(String path) {
        return "http://localhost:" + APP.getAdminPort() + path;
    }

    private static void call(int status, String method, String path, String json) {
        HttpResponse<String> response = RawHttp.send(method, "http://localhost:" + APP.getLocalPort() + path,
                List.of("Bearer " + key), json);
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(status);
    }

    /**
     * A scrape that has counted {@code requests} more application requests than {@code before}: a request is counted
     * as its audit event is recorded, a moment after its answer has reached the client.
     */
    private static PrometheusText scrapeCounting(PrometheusText before, int requests) {
        double counted = before.sum("sma_http_requests_total");
        return Poll.until(Poll.PATIENCE, PrometheusEndpointTest::scrape,
                after -> after.sum("sma_http_requests_total") - counted >= requests,
                requests + " more requests counted");
    }

    private static PrometheusText scrape() {
        HttpResponse<String> response = RawHttp.send("GET", admin("/prometheus"), List.of(), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return PrometheusText.parse(response.body());
    }

    @Test
    void servesPrometheusTextOnTheAdminPortOnly() {
        HttpResponse<String> response = RawHttp.send("GET", admin("/prometheus"), List.of(), null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body()).contains("# TYPE sma_http_requests_total counter");

        HttpResponse<String> onTheApplicationPort = RawHttp.send("GET",
                "http://localhost:" + APP.getLocalPort() + "/prometheus", List.of("Bearer " + key), null);
        assertThat(onTheApplicationPort.statusCode()).isEqualTo(404);
    }

    @Test
    void countsRequestsRecordsErrorsAndLatencyPerModelVersion() {
        PrometheusText before = scrape();
        call(200, "POST", "/v1/models/priced/predict", ONE);
        call(200, "POST", "/v1/models/priced/versions/1/predict", THREE);
        call(200, "POST", "/v1/models/priced/versions/1/predict", ONE);
        call(422, "POST", "/v1/models/priced/predict", MISSING_INPUT);
        call(500, "POST", "/v1/models/broken/predict", "{\"inputs\": {\"x\": 1}}");
        // Names and versions the catalog does not hold, and a model not granted: no series of their own.
        call(404, "POST", "/v1/models/no-such-model/predict", ONE);
        call(404, "POST", "/v1/models/priced/versions/99/predict", ONE);
        call(404, "POST", "/v1/models/ungranted/predict", ONE);
        PrometheusText after = scrapeCounting(before, 8);

        assertDelta(before, after, 1, "sma_model_requests_total", "model", "priced", "version", "2",
                "status_class", "2xx");
        assertDelta(before, after, 1, "sma_model_requests_total", "model", "priced", "version", "2",
                "status_class", "4xx");
        assertDelta(before, after, 2, "sma_model_requests_total", "model", "priced", "version", "1",
                "status_class", "2xx");
        assertDelta(before, after, 1, "sma_model_requests_total", "model", "broken", "version", "1",
                "status_class", "5xx");

        assertDelta(before, after, 4, "sma_model_records_total", "model", "priced", "version", "1");
        assertDelta(before, after, 1, "sma_model_records_total", "model", "priced", "version", "2");
        assertDelta(before, after, 0, "sma_model_records_total", "model", "broken", "version", "1");

        assertDelta(before, after, 1, "sma_model_errors_total", "model", "priced", "version", "2",
                "status", "422");
        assertDelta(before, after, 1, "sma_model_errors_total", "model", "broken", "version", "1",
                "status", "500");
        assertDelta(before, after, 0, "sma_model_errors_total", "model", "priced", "version", "1",
                "status", "422");

        assertDelta(before, after, 2, "sma_model_request_duration_seconds_count", "model", "priced",
                "version", "1");
        assertDelta(before, after, 2, "sma_model_request_duration_seconds_bucket", "model", "priced",
                "version", "1", "le", "+Inf");
        assertThat(delta(before, after, "sma_model_request_duration_seconds_sum", "model", "priced",
                "version", "1")).isPositive();
        assertThat(after.named("sma_model_request_duration_seconds_bucket").stream()
                .filter(sample -> sample.labels().get("model").equals("priced")
                        && sample.labels().get("version").equals("1"))
                .map(sample -> sample.labels().get("le")))
                .containsExactly("5.0E-4", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25",
                        "0.5", "1.0", "+Inf");

        assertThat(after.samples()).noneMatch(sample -> sample.name().startsWith("sma_model_") && (
                List.of("no-such-model", "ungranted").contains(sample.labels().get("model"))
                        || "99".equals(sample.labels().get("version"))));
    }

    @Test
    void countsHttpRequestsByRouteTemplateAndStatusClass() {
        PrometheusText before = scrape();
        call(200, "POST", "/v1/models/counted/predict", ONE);
        call(200, "POST", "/v1/models/counted/versions/1/predict", ONE);
        call(404, "POST", "/v1/models/counted/versions/7/predict", ONE);
        call(200, "GET", "/v1/models/counted", null);
        call(200, "GET", "/v1/models/counted/versions/1", null);
        call(200, "GET", "/v1/me", null);
        call(404, "GET", "/v1/nothing/here", null);
        call(405, "DELETE", "/v1/models/counted", null);
        HttpResponse<String> unauthenticated = RawHttp.send("GET",
                "http://localhost:" + APP.getLocalPort() + "/v1/models", List.of(), null);
        assertThat(unauthenticated.statusCode()).isEqualTo(401);
        PrometheusText after = scrapeCounting(before, 9);

        assertDelta(before, after, 1, "sma_http_requests_total", "route", PREDICT, "status_class", "2xx");
        assertDelta(before, after, 1, "sma_http_requests_total", "route", PREDICT_VERSION, "status_class", "2xx");
        assertDelta(before, after, 1, "sma_http_requests_total", "route", PREDICT_VERSION, "status_class", "4xx");
        assertDelta(before, after, 1, "sma_http_requests_total", "route", "/v1/models/{name}",
                "status_class", "2xx");
        assertDelta(before, after, 1, "sma_http_requests_total", "route", "/v1/models/{name}",
                "status_class", "4xx");
        assertDelta(before, after, 1, "sma_http_requests_total", "route", "/v1/models/{name}/versions/{version}",
                "status_class", "2xx");
        assertDelta(before, after, 1, "sma_http_requests_total", "route", "/v1/me", "status_class", "2xx");
        assertDelta(before, after, 1, "sma_http_requests_total", "route", "/v1/models", "status_class", "4xx");
        assertDelta(before, after, 1, "sma_http_requests_total", "route", Routes.OTHER, "status_class", "4xx");
        // No raw path becomes a route.
        assertThat(after.named("sma_http_requests_total"))
                .allSatisfy(sample -> assertThat(sample.labels().get("route")).doesNotContain("counted", "nothing"));
    }

    @Test
    void exportsTheAuditCatalogAndJvmSeries() {
        PrometheusText before = scrape();
        call(200, "GET", "/v1/me", null);
        // The audit line is written a moment after its answer.
        PrometheusText after = Poll.until(Poll.PATIENCE, PrometheusEndpointTest::scrape,
                scraped -> scraped.value("sma_audit_lines_written_total")
                        > before.value("sma_audit_lines_written_total"),
                "the audit line counted as written");

        assertThat(after.named("sma_audit_lines_lost_total")).singleElement()
                .satisfies(sample -> assertThat(sample.value()).isZero());
        assertThat(after.text()).contains("# HELP sma_audit_lines_lost_total Audit lines that could not be written");
        assertThat(after.named("sma_audit_lines_queued")).hasSize(1);
        assertThat(after.named("sma_audit_forces_total")).hasSize(1);
        assertThat(after.value("sma_catalog_age_seconds")).isBetween(0.0, 3600.0);
        assertThat(after.value("sma_catalog_model_versions")).isEqualTo(5);
        assertThat(after.value("sma_catalog_models")).isEqualTo(4);
        assertThat(after.value("sma_catalog_users")).isEqualTo(1);
        assertThat(after.value("sma_catalog_api_keys")).isEqualTo(1);
        assertThat(after.value("sma_catalog_unavailable_versions")).isZero();
        assertThat(after.named("sma_health_check_healthy"))
                .extracting(sample -> sample.labels().get("check") + " " + sample.labels().get("critical"))
                .containsExactlyInAnyOrder("catalog-loaded true", "audit-accepting true", "postgres false",
                        "models false", "audit false", "deadlocks false");
        assertThat(after.value("sma_health_check_healthy", "check", "postgres", "critical", "false")).isEqualTo(1);
        assertThat(after.value("jvm_memory_used_bytes", "area", "heap")).isPositive();
        assertThat(after.named("jvm_threads_current")).singleElement()
                .satisfies(sample -> assertThat(sample.value()).isPositive());
        assertThat(after.value("process_cpu_seconds_total")).isPositive();
        // The per-model Dropwizard timers stay on /metrics: here the model is a label, never part of a name.
        assertThat(after.samples()).noneMatch(sample -> sample.name().contains("priced")
                || sample.name().contains("counted"));
    }

    @Test
    void holdsNoSecret() {
        call(200, "GET", "/v1/me", null);
        PrometheusText scraped = scrape();
        assertThat(scraped.withoutValues()).doesNotContain(key).doesNotContain(key.substring(4))
                .doesNotContainIgnoringCase("bearer").doesNotContainIgnoringCase("authorization");
    }

    @Test
    void promtoolAcceptsTheScrape() {
        Promtool.require();
        PrometheusText before = scrape();
        call(200, "POST", "/v1/models/priced/predict", ONE);
        call(422, "POST", "/v1/models/priced/predict", MISSING_INPUT);
        call(500, "POST", "/v1/models/broken/predict", "{\"inputs\": {\"x\": 1}}");
        String text = scrapeCounting(before, 3).text();

        Promtool.Result result = Promtool.run(text, "check", "metrics");
        assertThat(result.exitCode()).as("promtool check metrics said:\n" + result.output() + "\non:\n" + text)
                .isZero();
    }

    @Test
    void theAlertRulesNameOnlySeriesTheServerExports() throws IOException {
        // A series appears with its first sample: an answer and a failure give every family one.
        PrometheusText before = scrape();
        call(200, "POST", "/v1/models/priced/predict", ONE);
        call(500, "POST", "/v1/models/broken/predict", "{\"inputs\": {\"x\": 1}}");
        Set<String> exported = new TreeSet<>();
        scrapeCounting(before, 2).samples().forEach(sample -> exported.add(sample.name()));
        for (Path rules : PrometheusDocsTest.ruleFiles()) {
            Matcher names = Pattern.compile("sma_[a-z_]+").matcher(Files.readString(rules));
            while (names.find()) {
                assertThat(exported).as(rules + " names " + names.group()).contains(names.group());
            }
        }
    }

    private static double delta(PrometheusText before, PrometheusText after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }

    private static void assertDelta(PrometheusText before, PrometheusText after, double expected, String name,
                                    String... labels) {
        assertThat(delta(before, after, name, labels))
                .as("%s %s, with these samples after: %s", name, List.of(labels), after.named(name))
                .isEqualTo(expected);
    }
}
