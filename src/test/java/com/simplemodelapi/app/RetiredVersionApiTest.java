package com.simplemodelapi.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.models.service.ModelRetirement;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A retired version, as its callers see it on /v1 and /v2: a pinned call is a 404 in the path's error shape that says
 * the version is retired, the latest is the newest version not retired, and a model whose versions are all retired is
 * unknown. (How fast a retirement reaches the servers is {@code reliability/ChangePropagationTest}'s.)
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class RetiredVersionApiTest {
    private static final String DATABASE = TestPostgres.newMigratedDatabase();
    static final DropwizardAppExtension<SimpleModelApiConfiguration> APP = TestApp.extension(DATABASE,
            Path.of("target", "audit", "RetiredVersionApiTest-" + UUID.randomUUID() + ".log").toAbsolutePath(),
            ConfigOverride.config("refreshInterval", "1h"));

    private static final String RECORD = "{\"inputs\": {\"x1\": 0, \"x2\": 0}}";
    private static final String TENSORS = "{\"inputs\": [{\"name\": \"x1\", \"shape\": [1], \"datatype\": \"FP64\","
            + " \"data\": [0]}, {\"name\": \"x2\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [0]}]}";
    private static final String RETIRED = "Version 2 of model 'tiers' is retired: it is no longer served.";

    private static String key;

    @BeforeAll
    static void setUp() {
        TestData data = new TestData(DATABASE);
        key = data.user("ursula");
        data.linearModel("tiers", 1.0);
        data.linearModel("tiers", 2.0);
        data.linearModel("tiers", 3.0);
        data.linearModel("sunset", 9.0);
        data.grant("ursula", "tiers");
        data.grant("ursula", "sunset");
        ModelRetirement retirement = new ModelRetirement(data.jdbi());
        retirement.retire("tiers", 2);
        retirement.retire("tiers", 3);
        retirement.retire("sunset", 1);
        assertThat(RawHttp.send("POST", admin("/tasks/refresh"), List.of(), null).statusCode()).isEqualTo(200);
    }

    @Test
    void aPinnedCallToARetiredVersionIsA404SayingSoOnV1() {
        for (HttpResponse<String> response : List.of(
                call("GET", "/v1/models/tiers/versions/2", null),
                call("POST", "/v1/models/tiers/versions/2/predict", RECORD))) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
            JsonNode body = json(response);
            assertThat(body.at("/error/code").asText()).isEqualTo("not_found");
            assertThat(body.at("/error/message").asText()).isEqualTo(RETIRED);
            assertThat(body.get("request_id").asText()).isEqualTo(response.headers().firstValue("X-Request-Id")
                    .orElseThrow());
        }
    }

    @Test
    void aPinnedCallToARetiredVersionIsA404SayingSoOnV2() {
        for (HttpResponse<String> response : List.of(
                call("GET", "/v2/models/tiers/versions/2", null),
                call("GET", "/v2/models/tiers/versions/2/ready", null),
                call("POST", "/v2/models/tiers/versions/2/infer", TENSORS))) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
            assertThat(json(response).get("error").asText()).isEqualTo(RETIRED);
        }
    }

    @Test
    void theLatestIsTheNewestVersionNotRetiredAndOnlyServedVersionsAreListed() {
        HttpResponse<String> predicted = call("POST", "/v1/models/tiers/predict", RECORD);
        assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
        assertThat(json(predicted).get("version").asInt()).isEqualTo(1);
        assertThat(json(call("GET", "/v1/models/tiers", null)).get("version").asInt()).isEqualTo(1);
        HttpResponse<String> inferred = call("POST", "/v2/models/tiers/infer", TENSORS);
        assertThat(json(inferred).get("model_version").asText()).as(inferred.body()).isEqualTo("1");
        assertThat(json(call("GET", "/v2/models/tiers", null)).get("versions").toString()).isEqualTo("[\"1\"]");
        assertThat(call("POST", "/v1/models/tiers/versions/1/predict", RECORD).statusCode()).isEqualTo(200);
    }

    @Test
    void aModelWhoseVersionsAreAllRetiredIsUnknownAndNotListed() {
        HttpResponse<String> latest = call("GET", "/v1/models/sunset", null);
        assertThat(latest.statusCode()).isEqualTo(404);
        assertThat(json(latest).at("/error/message").asText()).startsWith("There is no such model or version");
        assertThat(call("POST", "/v2/models/sunset/infer", TENSORS).statusCode()).isEqualTo(404);

        List<String> listed = new ArrayList<>();
        json(call("GET", "/v1/models", null)).get("models").forEach(model -> listed.add(model.get("name").asText()));
        assertThat(listed).containsExactly("tiers");
        assertThat(call("GET", "/v1/me", null).body()).doesNotContain("sunset");
    }

    private static HttpResponse<String> call(String method, String path, String body) {
        return RawHttp.send(method, "http://localhost:" + APP.getLocalPort() + path, List.of("Bearer " + key), body);
    }

    private static String admin(String path) {
        return "http://localhost:" + APP.getAdminPort() + path;
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return TestData.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("Not JSON (status " + response.statusCode() + "): " + response.body(), e);
        }
    }
}
