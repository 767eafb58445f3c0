package com.simplemodelapi.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.simplemodelapi.testing.TestApp;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin port: health checks, metrics, and the refresh task. */
@ExtendWith(DropwizardExtensionsSupport.class)
class AdminPortTest {
    private static final String DATABASE = TestPostgres.newDatabase();
    // No background refresh during the run; a change made behind the CLI's back notifies nobody, so only
    // POST /tasks/refresh can make it visible.
    static final DropwizardAppExtension<SimpleModelApiConfiguration> APP = TestApp.extension(DATABASE,
            Path.of("target", "audit", "AdminPortTest-" + UUID.randomUUID() + ".log").toAbsolutePath(),
            ConfigOverride.config("refreshInterval", "1h"));

    private static final List<String> RESOURCE_METHODS = List.of(
            "MeResource.me", "ModelsResource.list", "ModelsResource.latest", "ModelsResource.version",
            "PredictionResource.predictLatest", "PredictionResource.predictVersion");
    private static final String INPUTS = "{\"inputs\": {\"x1\": 3, \"x2\": 1}}";

    private static TestData data;
    private static String key;

    @BeforeAll
    static void setUp() {
        data = new TestData(DATABASE);
        key = data.user("operator-watcher");
        data.linearModel("scored", 1.0);
        data.linearModel("growing", 1.0);
        data.model("""
                {"name": "broken", "algorithm": "failing", "inputs": [{"name": "x1", "type": "number"}],
                 "parameters": {}}""");
        data.grant("operator-watcher", "scored");
        data.grant("operator-watcher", "growing");
        data.grant("operator-watcher", "broken");
        assertThat(refresh()).contains("1 active keys", "3 model versions");
    }

    private static String admin(String path) {
        return "http://localhost:" + APP.getAdminPort() + path;
    }

    private static String refresh() {
        try (Response response = APP.client().target(admin("/tasks/refresh")).request().post(Entity.text(""))) {
            assertThat(response.getStatus()).isEqualTo(200);
            return response.readEntity(String.class);
        }
    }

    private static JsonNode adminJson(String path) throws IOException {
        try (Response response = APP.client().target(admin(path)).request().get()) {
            String body = response.readEntity(String.class);
            assertThat(response.getStatus()).as(body).isEqualTo(200);
            return TestData.JSON.readTree(body);
        }
    }

    private static String adminText(String path) {
        try (Response response = APP.client().target(admin(path)).request().get()) {
            return response.readEntity(String.class);
        }
    }

    private static JsonNode api(String method, String path, String apiKey, String json) throws IOException {
        Invocation.Builder request = APP.client().target("http://localhost:" + APP.getLocalPort() + path).request()
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + apiKey);
        try (Response response = json == null ? request.method(method)
                : request.method(method, Entity.entity(json, MediaType.APPLICATION_JSON))) {
            ObjectNode body = (ObjectNode) TestData.JSON.readTree(response.readEntity(String.class));
            return body.put("status", response.getStatus());
        }
    }

    private static JsonNode ok(String method, String path, String json) throws IOException {
        JsonNode reply = api(method, path, key, json);
        assertThat(reply.get("status").asInt()).as(reply.toString()).isEqualTo(200);
        return reply;
    }

    @Test
    void healthChecksForPostgresAndModelsAreHealthy() throws IOException {
        JsonNode health = adminJson("/healthcheck");
        assertThat(health.get("postgres").get("healthy").asBoolean()).as(health.toString()).isTrue();
        assertThat(health.get("models").get("healthy").asBoolean()).as(health.toString()).isTrue();
    }

    @Test
    void everyResourceMethodIsTimed() throws IOException {
        JsonNode before = adminJson("/metrics").get("timers");
        ok("GET", "/v1/me", null);
        ok("GET", "/v1/models", null);
        ok("GET", "/v1/models/scored", null);
        ok("GET", "/v1/models/scored/versions/1", null);
        ok("POST", "/v1/models/scored/predict", INPUTS);
        ok("POST", "/v1/models/scored/versions/1/predict", INPUTS);

        JsonNode timers = adminJson("/metrics").get("timers");
        List<String> names = new ArrayList<>();
        timers.fieldNames().forEachRemaining(names::add);
        for (String method : RESOURCE_METHODS) {
            String name = names.stream().filter(n -> n.contains(method)).findFirst()
                    .orElseThrow(() -> new AssertionError("No timer for " + method + " among " + names));
            assertThat(count(timers, name)).as("%s after one call to it", name).isEqualTo(count(before, name) + 1);
        }
    }

    @Test
    void predictionsAreTimedAndErrorsMeteredPerModel() throws IOException {
        JsonNode before = adminJson("/metrics");
        JsonNode prediction = ok("POST", "/v1/models/scored/predict", INPUTS);
        assertThat(prediction.get("outputs").get("prediction").doubleValue()).isEqualTo(4.0);
        ok("POST", "/v1/models/scored/versions/1/predict",
                "{\"instances\": [{\"x1\": 0, \"x2\": 0}, {\"x1\": 1, \"x2\": 1}]}");
        // Refused before the model runs: neither a prediction nor the model's error.
        assertThat(api("POST", "/v1/models/scored/predict", key, "{\"inputs\": {\"x1\": \"three\", \"x2\": 1}}")
                .get("status").asInt()).isEqualTo(422);
        for (int i = 0; i < 3; i++) {
            assertThat(api("POST", "/v1/models/broken/predict", key, "{\"inputs\": {\"x1\": 1}}").get("status").asInt())
                    .isEqualTo(500);
        }

        JsonNode after = adminJson("/metrics");
        // A batch is one run of the model, so one timing.
        assertThat(increase(before, after, "timers", "models.scored.predictions"))
                .as("models.scored.predictions after two predictions and one refused request").isEqualTo(2);
        assertThat(increase(before, after, "meters", "models.scored.errors"))
                .as("models.scored.errors after another model failed").isZero();
        assertThat(increase(before, after, "timers", "models.broken.predictions"))
                .as("models.broken.predictions after three failed predictions").isEqualTo(3);
        assertThat(increase(before, after, "meters", "models.broken.errors"))
                .as("models.broken.errors after three failed predictions").isEqualTo(3);
    }

    private static long increase(JsonNode before, JsonNode after, String section, String name) {
        return count(after.get(section), name) - count(before.get(section), name);
    }

    /** The count of one timer or meter in a section of /metrics; the metric must be there. */
    private static long count(JsonNode section, String name) {
        JsonNode metric = section.get(name);
        assertThat(metric).as("%s among %s", name, section).isNotNull();
        assertThat(metric.get("count").isIntegralNumber()).as(metric.toString()).isTrue();
        return metric.get("count").asLong();
    }

    @Test
    void refreshMakesANewModelVersionVisibleAndKeepsTheOldOne() throws IOException {
        assertThat(ok("GET", "/v1/models/growing", null).get("version").asInt()).isEqualTo(1);

        data.jdbi().useHandle(h -> h.execute("INSERT INTO model_versions (name, version, description, algorithm,"
                + " inputs, parameters) SELECT name, 2, description, algorithm, inputs, CAST(? AS json)"
                + " FROM model_versions WHERE name = 'growing' AND version = 1",
                "{\"coefficients\": {\"x1\": 2.0, \"x2\": -3.0}, \"intercept\": 10.0}"));
        assertThat(ok("GET", "/v1/models/growing", null).get("version").asInt())
                .as("not visible before the refresh").isEqualTo(1);
        assertThat(api("GET", "/v1/models/growing/versions/2", key, null).get("status").asInt()).isEqualTo(404);

        assertThat(refresh()).contains("4 model versions");

        assertThat(ok("GET", "/v1/models/growing", null).get("version").asInt()).isEqualTo(2);
        assertThat(ok("GET", "/v1/models", null).get("models")).anySatisfy(model -> {
            assertThat(model.get("name").asText()).isEqualTo("growing");
            assertThat(model.get("version").asInt()).isEqualTo(2);
        });
        JsonNode latest = ok("POST", "/v1/models/growing/predict", INPUTS);
        assertThat(latest.get("version").asInt()).isEqualTo(2);
        assertThat(latest.get("outputs").get("prediction").doubleValue()).isEqualTo(13.0);

        assertThat(ok("GET", "/v1/models/growing/versions/1", null).get("version").asInt()).isEqualTo(1);
        JsonNode old = ok("POST", "/v1/models/growing/versions/1/predict", INPUTS);
        assertThat(old.get("version").asInt()).isEqualTo(1);
        assertThat(old.get("outputs").get("prediction").doubleValue()).isEqualTo(4.0);
    }

    @Test
    void adminOutputNeverHoldsAKey() throws IOException {
        String unknownKey = "sma_" + UUID.randomUUID();
        ok("GET", "/v1/me", null);
        ok("POST", "/v1/models/scored/predict", INPUTS);
        api("GET", "/v1/models/missing", key, null);
        api("POST", "/v1/models/scored/predict", key, "{\"inputs\": {}}");
        api("GET", "/v1/me", unknownKey, null);
        api("POST", "/v1/models/scored/predict", unknownKey, INPUTS);

        for (String path : List.of("/metrics", "/healthcheck", "/threads")) {
            String output = adminText(path);
            assertThat(output).as(path).isNotBlank();
            assertThat(output).as(path).doesNotContain(key).doesNotContain(key.substring(4))
                    .doesNotContain(unknownKey);
        }
        assertThat(refresh()).doesNotContain(key);
    }
}
