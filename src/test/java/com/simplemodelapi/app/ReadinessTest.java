package com.simplemodelapi.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.testing.Poll;
import com.simplemodelapi.testing.PrometheusText;
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
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static com.simplemodelapi.testing.Poll.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readiness (GET /health-check on the application port) asks only whether the server can answer: its catalog was
 * loaded, and its audit log takes requests. Liveness is the admin port's /ping. The reliability and audit tests show
 * each case under a real failure; this one shows how the checks are set up, and that a model version that cannot be
 * loaded is reported without taking the server out of service.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ReadinessTest {
    private static final String DATABASE = TestPostgres.newDatabase();
    static final DropwizardAppExtension<SimpleModelApiConfiguration> APP = TestApp.extension(DATABASE,
            Path.of("target", "audit", "ReadinessTest-" + UUID.randomUUID() + ".log").toAbsolutePath(),
            ConfigOverride.config("refreshInterval", "1h"));

    private static String key;

    @BeforeAll
    static void setUp() {
        TestData data = new TestData(DATABASE);
        key = data.user("alice");
        data.linearModel("patchy", 1.0);
        // A version whose plug-in cannot be linked, as if its jar had lost a dependency since it was stored.
        data.jdbi().useHandle(handle -> handle.execute("INSERT INTO model_versions (name, version, algorithm, inputs,"
                + " parameters) VALUES ('patchy', 2, 'unlinkable', '[{\"name\":\"x1\",\"type\":\"number\"}]', '{}')"));
        data.grant("alice", "patchy");
        assertThat(send(admin("/tasks/refresh").POST(HttpRequest.BodyPublishers.noBody())).statusCode())
                .isEqualTo(200);
    }

    @Test
    void onlyTheCatalogLoadedAndTheAuditLogTakingRequestsDecideReadiness() {
        HttpResponse<String> ready = awaitReady();
        assertThat(ready.headers().firstValue("Cache-Control")).hasValue("no-store");

        Map<String, Boolean> criticalByName = new TreeMap<>();
        for (JsonNode check : json(ready)) {
            assertThat(check.get("type").asText()).isEqualTo("READY");
            criticalByName.put(check.get("name").asText(), check.get("critical").asBoolean());
        }
        assertThat(criticalByName).isEqualTo(Map.of("catalog-loaded", true, "audit-accepting", true,
                "postgres", false, "models", false, "audit", false, "deadlocks", false));
    }

    @Test
    void livenessIsTheAdminPortsPing() {
        HttpResponse<String> ping = send(admin("/ping"));
        assertThat(ping.statusCode()).isEqualTo(200);
        assertThat(ping.body()).isEqualTo("pong\n");
    }

    @Test
    void aModelVersionThatCannotBeLoadedIsReportedButLeavesTheServerReady() {
        HttpResponse<String> health = send(admin("/healthcheck"));
        JsonNode checks = json(health);
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(checks.at("/models/unavailable_versions/0").asText()).startsWith("patchy v2: ");
        HttpResponse<String> scrape = send(admin("/prometheus"));
        assertThat(PrometheusText.parse(scrape.body()).value("sma_catalog_unavailable_versions")).isEqualTo(1);

        HttpResponse<String> predicted = send(application("/v1/models/patchy/predict")
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": {\"x1\": 1, \"x2\": 0}}")));
        assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
        assertThat(awaitReady().statusCode()).isEqualTo(200);
    }

    /** Ready within a second or so of the start: each check readiness asks must first have passed once. */
    private static HttpResponse<String> awaitReady() {
        return Poll.until(PATIENCE, () -> send(application("/health-check?name=all")),
                response -> response.statusCode() == 200, "ready");
    }

    private static HttpRequest.Builder application(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getLocalPort() + path));
    }

    private static HttpRequest.Builder admin(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getAdminPort() + path));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        return RawHttp.send(request.build());
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return TestData.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(response.body(), e);
        }
    }
}
