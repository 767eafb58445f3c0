package com.simplemodelapi.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.common.Sha256;
import com.simplemodelapi.testing.OnnxModels;
import com.simplemodelapi.testing.TestApp;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** ONNX models through the real application: metadata, predictions, and a version whose graph will not load. */
@ExtendWith(DropwizardExtensionsSupport.class)
class OnnxApiTest {
    private static final String DB = TestPostgres.newMigratedDatabase();
    private static final DropwizardAppExtension<SimpleModelApiConfiguration> APP = TestApp.extension(DB,
            Path.of("target/audit/onnx-api.log"), ConfigOverride.config("refreshInterval", "1h"));
    private static final byte[] GBM = OnnxModels.treeEnsembleRegressor();
    private static TestData data;
    private static String key;

    @BeforeAll
    static void models() {
        data = new TestData(DB);
        key = data.user("alice");
        data.model("""
                {"name": "gbm", "description": "boosted trees", "algorithm": "onnx",
                 "inputs": [{"name": "x0", "type": "number"}, {"name": "x1", "type": "number"}],
                 "parameters": {"feature_order": ["x0", "x1"]}}""", GBM);
        data.model("""
                {"name": "churn", "algorithm": "onnx",
                 "inputs": [{"name": "x0", "type": "number"}, {"name": "x1", "type": "number"}],
                 "parameters": {}}""", OnnxModels.treeEnsembleClassifierWithZipMap());
        data.model("""
                {"name": "paint", "algorithm": "onnx",
                 "inputs": [{"name": "x", "type": "number"}, {"name": "colour", "type": "string"}],
                 "parameters": {}}""", OnnxModels.perFeatureInputs());
        for (String model : new String[]{"gbm", "churn", "paint"}) {
            data.grant("alice", model);
        }
        refresh();
    }

    private static void refresh() {
        APP.client().target(admin("/tasks/refresh")).request().post(null).close();
    }

    private static String admin(String path) {
        return "http://localhost:" + APP.getAdminPort() + path;
    }

    private static Response get(String path) {
        return APP.client().target("http://localhost:" + APP.getLocalPort() + path).request()
                .header("Authorization", "Bearer " + key).get();
    }

    private static Response predict(String model, String body) {
        return APP.client().target("http://localhost:" + APP.getLocalPort() + "/v1/models/" + model + "/predict")
                .request().header("Authorization", "Bearer " + key).post(Entity.json(body));
    }

    private static JsonNode json(Response response) throws Exception {
        return TestData.JSON.readTree(response.readEntity(String.class));
    }

    @Test
    void metadataShowsTheArtifactButNotItsBytes() throws Exception {
        Response response = get("/v1/models/gbm");
        assertThat(response.getStatus()).isEqualTo(200);
        JsonNode model = json(response);

        assertThat(model.get("algorithm").asText()).isEqualTo("onnx");
        assertThat(model.at("/artifact/sha256").asText()).isEqualTo(Sha256.hex(GBM));
        assertThat(model.at("/artifact/size_bytes").asLong()).isEqualTo(GBM.length);
        assertThat(model.at("/artifact/opset").asLong()).isEqualTo(17);
        assertThat(model.at("/artifact/producer").asText()).startsWith(OnnxModels.PRODUCER);
        assertThat(model.get("artifact").size()).isEqualTo(4);
        assertThat(model.get("outputs").toString()).isEqualTo("[{\"name\":\"prediction\",\"type\":\"number\"}]");
    }

    @Test
    void aBatchOfTheBoostedTreesIsPredictedInOrder() throws Exception {
        Response response = predict("gbm", """
                {"instances": [{"x0": 0, "x1": 0}, {"x0": 3, "x1": 10}, {"x0": -2, "x1": -1}]}""");
        assertThat(response.getStatus()).isEqualTo(200);
        JsonNode predictions = json(response).get("predictions");

        // 0.5 + tree0 + tree1 + tree2, from the graph's javadoc
        assertThat(predictions.get(0).get("prediction").asDouble()).isCloseTo(0.5 + 1 + 0.5 + 0.125, within(1e-6));
        assertThat(predictions.get(1).get("prediction").asDouble()).isCloseTo(0.5 - 1 + 2 - 0.375, within(1e-6));
        assertThat(predictions.get(2).get("prediction").asDouble()).isCloseTo(0.5 + 1 + 0.25 + 0.125, within(1e-6));
    }

    @Test
    void aZipMapClassifierGivesLabelAndProbabilities() throws Exception {
        Response response = predict("churn", "{\"inputs\": {\"x0\": 1.0, \"x1\": 1.0}}");
        assertThat(response.getStatus()).isEqualTo(200);
        JsonNode outputs = json(response).get("outputs");

        // x0 in (0.5, 2] and x1 > 0: no 0.10 + 0.25, yes 0.40 + 0.25
        assertThat(outputs.get("label").asText()).isEqualTo("yes");
        assertThat(outputs.at("/probabilities/no").asDouble()).isCloseTo(0.35, within(1e-6));
        assertThat(outputs.at("/probabilities/yes").asDouble()).isCloseTo(0.65, within(1e-6));
        assertThat(json(get("/v1/models/churn")).get("outputs").toString()).isEqualTo(
                "[{\"name\":\"label\",\"type\":\"string\"},"
                        + "{\"name\":\"probabilities\",\"type\":\"object\",\"classes\":[\"no\",\"yes\"]}]");
    }

    @Test
    void aStringInputGivenANumberIs422() throws Exception {
        assertThat(json(predict("paint", "{\"inputs\": {\"x\": 1.5, \"colour\": \"green\"}}"))
                .at("/outputs/prediction").asDouble()).isCloseTo(17, within(1e-6));

        Response response = predict("paint", "{\"inputs\": {\"x\": 1.5, \"colour\": 2}}");
        assertThat(response.getStatus()).isEqualTo(422);
        JsonNode detail = json(response).at("/error/details/0");
        assertThat(detail.get("field").asText()).isEqualTo("colour");
        assertThat(detail.get("problem").asText()).isEqualTo("wrong_type");
    }

    @Test
    void aVersionWhoseGraphWillNotLoadIs503WhenPinnedWhileItsModelAndTheOthersKeepServing() throws Exception {
        data.linearModel("patchy", 1.0);
        // As if the artifact of version 2 had been damaged after it was stored: the CLI would have refused it.
        data.jdbi().useHandle(handle -> {
            long id = handle.createUpdate("INSERT INTO model_versions (name, version, algorithm, inputs, parameters)"
                            + " VALUES ('patchy', 2, 'onnx', '[{\"name\":\"x0\",\"type\":\"number\"}]', '{}')")
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            handle.createUpdate("INSERT INTO model_artifacts (model_version_id, content, sha256, size_bytes)"
                            + " VALUES (:id, :content, 'x', 3)")
                    .bind("id", id).bind("content", new byte[]{1, 2, 3}).execute();
        });
        data.grant("alice", "patchy");
        refresh();

        Response latest = predict("patchy", "{\"inputs\": {\"x1\": 1, \"x2\": 0}}");
        assertThat(latest.getStatus()).isEqualTo(200);
        assertThat(json(latest).get("version").asInt()).as("the newest version that can serve").isEqualTo(1);
        JsonNode listed = json(get("/v1/models/patchy"));
        assertThat(listed.get("version").asInt()).isEqualTo(1);
        assertThat(listed.get("available").asBoolean()).isTrue();
        JsonNode damaged = json(get("/v1/models/patchy/versions/2"));
        assertThat(damaged.get("available").isBoolean()).isTrue();
        assertThat(damaged.get("available").asBoolean()).isFalse();

        Response pinned = APP.client().target("http://localhost:" + APP.getLocalPort()
                        + "/v1/models/patchy/versions/2/predict").request()
                .header("Authorization", "Bearer " + key).post(Entity.json("{\"inputs\": {\"x0\": 1}}"));
        assertThat(pinned.getStatus()).isEqualTo(503);
        JsonNode error = json(pinned);
        assertThat(error.at("/error/code").asText()).isEqualTo("model_unavailable");
        assertThat(error.get("request_id").asText()).isNotBlank();

        Response health = APP.client().target(admin("/healthcheck")).request().get();
        JsonNode checks = json(health);
        assertThat(health.getStatus()).as(checks.toString()).isEqualTo(200);
        assertThat(checks.at("/models/healthy").asBoolean()).isTrue();
        assertThat(checks.at("/models/unavailable_versions/0").asText()).startsWith("patchy v2: ");
        JsonNode metrics = TestData.JSON.readTree(APP.client().target(admin("/metrics")).request().get(String.class));
        assertThat(metrics.at("/gauges/models.unavailable_versions/value").asInt()).isEqualTo(1);
        assertThat(metrics.at("/gauges/catalog.age_seconds/value").asDouble()).isBetween(0.0, 3600.0);

        assertThat(predict("gbm", "{\"inputs\": {\"x0\": 0, \"x1\": 0}}").getStatus()).isEqualTo(200);
    }
}
