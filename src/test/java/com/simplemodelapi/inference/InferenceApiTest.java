package com.simplemodelapi.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.app.SimpleModelApiConfiguration;
import com.simplemodelapi.common.BuildInfo;
import com.simplemodelapi.testing.AuditLines;
import com.simplemodelapi.testing.OnnxModels;
import com.simplemodelapi.testing.Poll;
import com.simplemodelapi.testing.PrometheusText;
import com.simplemodelapi.testing.RawHttp;
import com.simplemodelapi.testing.TestApp;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The Open Inference Protocol v2 through the real application: real HTTP, real PostgreSQL, the catalog, keys and
 * grants /v1 uses. The bodies the protocol's three common clients send are copied from their sources (see each).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class InferenceApiTest {
    private static final String DATABASE = TestPostgres.newDatabase();
    private static final Path AUDIT_LOG =
            Path.of("target", "audit", "InferenceApiTest-" + UUID.randomUUID() + ".log").toAbsolutePath();
    static final DropwizardAppExtension<SimpleModelApiConfiguration> APP = TestApp.extension(DATABASE, AUDIT_LOG);

    private static final String IRIS = "/v2/models/iris-species";
    /** Two flowers, a setosa and a virginica, as /v1 takes them. */
    private static final String V1_BATCH = """
            {"instances": [
              {"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2},
              {"sepal_length": 6.7, "sepal_width": 3.0, "petal_length": 5.2, "petal_width": 2.3}]}""";
    /**
     * tritonclient.http, {@code InferInput(name, [2, 1], "FP64")} with {@code set_data_from_numpy(..., binary_data=False)}
     * per feature and {@code infer("iris-species", inputs, request_id="r1")}: compact JSON, no Content-Type header, and
     * {@code binary_data_output} asked for because no outputs were named (client/_utils.py
     * {@code _get_inference_request}).
     */
    private static final String TRITON = "{\"id\":\"r1\",\"inputs\":["
            + "{\"name\":\"sepal_length\",\"shape\":[2,1],\"datatype\":\"FP64\",\"data\":[5.1,6.7]},"
            + "{\"name\":\"sepal_width\",\"shape\":[2,1],\"datatype\":\"FP64\",\"data\":[3.5,3.0]},"
            + "{\"name\":\"petal_length\",\"shape\":[2,1],\"datatype\":\"FP64\",\"data\":[1.4,5.2]},"
            + "{\"name\":\"petal_width\",\"shape\":[2,1],\"datatype\":\"FP64\",\"data\":[0.2,2.3]}],"
            + "\"parameters\":{\"binary_data_output\":true}}";
    /** KServe 0.14+, {@code InferRequest("iris-species", infer_inputs, request_id="r1").to_rest()}: model_name too. */
    private static final String KSERVE = "{\"id\":\"r1\",\"model_name\":\"iris-species\",\"inputs\":["
            + "{\"name\":\"sepal_length\",\"shape\":[2,1],\"datatype\":\"FP64\",\"data\":[5.1,6.7]},"
            + "{\"name\":\"sepal_width\",\"shape\":[2,1],\"datatype\":\"FP64\",\"data\":[3.5,3.0]},"
            + "{\"name\":\"petal_length\",\"shape\":[2,1],\"datatype\":\"FP64\",\"data\":[1.4,5.2]},"
            + "{\"name\":\"petal_width\",\"shape\":[2,1],\"datatype\":\"FP64\",\"data\":[0.2,2.3]}]}";
    /** MLServer 1.6+, {@code PandasCodec.encode_request(df).model_dump()}, posted with requests' json=. */
    private static final String MLSERVER = """
            {"parameters": {"content_type": "pd"}, "inputs": [
              {"name": "sepal_length", "shape": [2, 1], "datatype": "FP64", "data": [5.1, 6.7]},
              {"name": "sepal_width", "shape": [2, 1], "datatype": "FP64", "data": [3.5, 3.0]},
              {"name": "petal_length", "shape": [2, 1], "datatype": "FP64", "data": [1.4, 5.2]},
              {"name": "petal_width", "shape": [2, 1], "datatype": "FP64", "data": [0.2, 2.3]}]}""";
    /** The same through pydantic v2's deprecated {@code .dict()}, which MLServer's docs still show: nulls included. */
    private static final String MLSERVER_DICT = """
            {"id": null, "parameters": {"content_type": "pd", "headers": null}, "inputs": [
              {"name": "sepal_length", "shape": [2, 1], "datatype": "FP64", "parameters": null, "data": [5.1, 6.7]},
              {"name": "sepal_width", "shape": [2, 1], "datatype": "FP64", "parameters": null, "data": [3.5, 3.0]},
              {"name": "petal_length", "shape": [2, 1], "datatype": "FP64", "parameters": null, "data": [1.4, 5.2]},
              {"name": "petal_width", "shape": [2, 1], "datatype": "FP64", "parameters": null, "data": [0.2, 2.3]}],
             "outputs": null}""";

    private static TestData data;
    private static String alice;
    private static String bob;
    private static JsonNode irisFile;

    @BeforeAll
    static void setUp() throws IOException {
        data = new TestData(DATABASE);
        alice = data.user("alice");
        bob = data.user("bob");
        try (InputStream in = InferenceApiTest.class.getResourceAsStream("/demo/iris-species.json")) {
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            irisFile = TestData.JSON.readTree(json);
            data.model(json);
        }
        data.linearModel("linear", 1.0);
        data.linearModel("linear", 5.0);
        data.model("""
                {"name": "counts", "algorithm": "linear-regression",
                 "inputs": [{"name": "n", "type": "integer"}, {"name": "x", "type": "number"}],
                 "parameters": {"coefficients": {"n": 1.5, "x": 0.5}, "intercept": 0.25}}""");
        data.model("""
                {"name": "rule", "algorithm": "threshold",
                 "inputs": [{"name": "score", "type": "number"}], "parameters": {"cut_off": 600}}""");
        data.jdbi().useHandle(h -> h.execute("INSERT INTO model_versions (name, version, description, algorithm,"
                + " inputs, parameters) VALUES ('linear', 3, 'broken on purpose', 'no-such-algorithm',"
                + " CAST('[{\"name\": \"x1\", \"type\": \"number\", \"required\": true}]' AS json),"
                + " CAST('{}' AS json))"));
        data.model("""
                {"name": "churn", "algorithm": "onnx",
                 "inputs": [{"name": "x0", "type": "number"}, {"name": "x1", "type": "number"}],
                 "parameters": {}}""", OnnxModels.treeEnsembleClassifierWithZipMap());
        data.model("""
                {"name": "plain", "algorithm": "onnx",
                 "inputs": [{"name": "a", "type": "number"}, {"name": "b", "type": "number"}],
                 "parameters": {}}""", OnnxModels.twoPlainOutputs());
        data.model("""
                {"name": "paint", "algorithm": "onnx",
                 "inputs": [{"name": "x", "type": "number"}, {"name": "colour", "type": "string"}],
                 "parameters": {}}""", OnnxModels.perFeatureInputs());
        for (String model : List.of("iris-species", "linear", "counts", "rule", "churn", "plain", "paint")) {
            data.grant("alice", model);
        }
        refresh();
    }

    static void refresh() {
        HttpResponse<String> refreshed = RawHttp.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + APP.getAdminPort() + "/tasks/refresh"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
    }

    static HttpResponse<String> get(String path, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).GET();
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return RawHttp.send(request.build());
    }

    /** A POST with exactly these headers: a Content-Type only when one is given, as a client without one sends. */
    static HttpResponse<String> post(String path, String key, String contentType, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return RawHttp.send(request.build());
    }

    static HttpResponse<String> infer(String path, String body) {
        return post(path, alice, "application/json", body);
    }

    static String url(String path) {
        return "http://localhost:" + APP.getLocalPort() + path;
    }

    static PrometheusText scrape() {
        HttpResponse<String> response = RawHttp.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + APP.getAdminPort() + "/prometheus")).GET().build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return PrometheusText.parse(response.body());
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return TestData.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("Not JSON (status " + response.statusCode() + "): " + response.body(), e);
        }
    }

    static JsonNode ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
        return json(response);
    }

    /** The protocol's error: {"error": "<message>"} and nothing else, with a request id, naming what is wrong. */
    static String error(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = json(response);
        assertThat(body.size()).as(response.body()).isEqualTo(1);
        assertThat(body.get("error").isTextual()).as(response.body()).isTrue();
        assertThat(response.headers().firstValue("X-Request-Id")).as("X-Request-Id").isPresent();
        return body.get("error").asText();
    }

    static JsonNode output(JsonNode answer, String name) {
        for (JsonNode output : answer.get("outputs")) {
            if (output.get("name").asText().equals(name)) {
                return output;
            }
        }
        throw new AssertionError("No output '" + name + "' in " + answer);
    }

    @Nested
    class Server {
        @Test
        void metadataNamesTheServerAndItsVersionWithNoKey() {
            JsonNode metadata = ok(get("/v2", null));
            assertThat(metadata.get("name").asText()).isEqualTo("simple-model-api");
            assertThat(metadata.get("version").asText()).isEqualTo(BuildInfo.version()).isNotBlank();
            assertThat(metadata.get("extensions").isArray()).isTrue();
            assertThat(metadata.get("extensions")).isEmpty();
        }

        @Test
        void liveAndReadyWithNoKey() {
            assertThat(ok(get("/v2/health/live", null))).isEqualTo(TestData.JSON.createObjectNode().put("live", true));
            assertThat(ok(get("/v2/health/ready", null)))
                    .isEqualTo(TestData.JSON.createObjectNode().put("ready", true));
        }

        @Test
        void anUnknownPathOrMethodUnderV2AnswersInTheProtocolsShape() {
            assertThat(error(get("/v2/nope", alice), 404)).isNotBlank();
            assertThat(error(get("/v2/models/iris-species/infer", alice), 405)).isNotBlank();
        }
    }

    @Nested
    class Metadata {
        @Test
        void describesTheModelAsTensors() {
            JsonNode metadata = ok(get(IRIS, alice));
            assertThat(metadata.get("name").asText()).isEqualTo("iris-species");
            assertThat(metadata.get("platform").asText()).isEqualTo("logistic-regression");
            assertThat(metadata.get("versions")).isEqualTo(TestData.JSON.valueToTree(List.of("1")));
            assertThat(metadata.get("inputs")).hasSize(4).allSatisfy(input -> {
                assertThat(input.get("datatype").asText()).isEqualTo("FP64");
                assertThat(input.get("shape")).isEqualTo(TestData.JSON.valueToTree(List.of(-1, 1)));
            });
            assertThat(metadata.get("inputs").get(0).get("name").asText()).isEqualTo("sepal_length");
            JsonNode label = metadata.get("outputs").get(0);
            assertThat(label.get("name").asText()).isEqualTo("label");
            assertThat(label.get("datatype").asText()).isEqualTo("BYTES");
            assertThat(label.get("shape")).isEqualTo(TestData.JSON.valueToTree(List.of(-1)));
            JsonNode probabilities = metadata.get("outputs").get(1);
            assertThat(probabilities.get("datatype").asText()).isEqualTo("FP64");
            assertThat(probabilities.get("shape")).isEqualTo(TestData.JSON.valueToTree(List.of(-1, 3)));
            assertThat(probabilities.get("parameters").get("classes")).isEqualTo(irisFile.get("parameters")
                    .get("classes"));
        }

        @Test
        void theClassOrderIsTheOneV1Shows() {
            JsonNode v1 = json(get("/v1/models/iris-species", alice));
            assertThat(v1.get("outputs").get(1).get("classes"))
                    .isEqualTo(ok(get(IRIS, alice)).get("outputs").get(1).get("parameters").get("classes"));
        }

        @Test
        void listsTheVersionsTheCallerMayCallAndAnswersForAPinnedOne() {
            JsonNode metadata = ok(get("/v2/models/linear/versions/1", alice));
            assertThat(metadata.get("versions")).isEqualTo(TestData.JSON.valueToTree(List.of("1", "2", "3")));
            assertThat(metadata.get("platform").asText()).isEqualTo("linear-regression");
            assertThat(metadata.get("outputs").get(0).get("name").asText()).isEqualTo("prediction");
            assertThat(metadata.get("outputs").get(0).get("datatype").asText()).isEqualTo("FP64");
        }

        @Test
        void aModelTheCallerMayNotCallIsNotFoundAsIfItDidNotExist() {
            String notGranted = error(get(IRIS, bob), 404);
            assertThat(error(get("/v2/models/no-such-model", bob), 404)).isEqualTo(notGranted);
            assertThat(error(get("/v2/models/iris-species/versions/9", alice), 404)).isEqualTo(notGranted);
            assertThat(error(get("/v2/models/iris-species/versions/x", alice), 404)).isEqualTo(notGranted);
        }

        @Test
        void withoutAKeyIs401WithABearerChallenge() {
            HttpResponse<String> response = get(IRIS, null);
            assertThat(error(response, 401)).contains("API key");
            assertThat(response.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Bearer");
            assertThat(error(post(IRIS + "/infer", "sma_wrong", "application/json", KSERVE), 401)).isNotBlank();
        }
    }

    @Nested
    class Readiness {
        @Test
        void aVersionThatCanServeIsReady() {
            assertThat(ok(get(IRIS + "/ready", alice)))
                    .isEqualTo(TestData.JSON.createObjectNode().put("name", "iris-species").put("ready", true));
            assertThat(ok(get("/v2/models/linear/versions/2/ready", alice)).get("ready").asBoolean()).isTrue();
        }

        @Test
        void aVersionThatCannotServeIs503AndTheLatestIsTheNewestThatCan() {
            HttpResponse<String> broken = get("/v2/models/linear/versions/3/ready", alice);
            assertThat(broken.statusCode()).isEqualTo(503);
            assertThat(json(broken).get("ready").asBoolean()).isFalse();
            assertThat(ok(get("/v2/models/linear/ready", alice)).get("ready").asBoolean()).isTrue();
            String unavailable = error(infer("/v2/models/linear/versions/3/infer",
                    "{\"inputs\": [{\"name\": \"x1\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [1]}]}"), 503);
            assertThat(unavailable).contains("cannot be served");
        }
    }

    @Nested
    class Inference {
        @Test
        void theThreeClientsBodiesGetTheSameAnswerAsV1BitForBit() {
            JsonNode v1 = json(post("/v1/models/iris-species/predict", alice, "application/json", V1_BATCH));
            List<String> labels = new ArrayList<>();
            List<String> probabilities = new ArrayList<>();
            for (JsonNode prediction : v1.get("predictions")) {
                labels.add(prediction.get("label").asText());
                prediction.get("probabilities").forEach(p -> probabilities.add(p.toString()));
            }
            assertThat(labels).containsExactly("setosa", "virginica");

            for (HttpResponse<String> response : List.of(
                    post(IRIS + "/infer", alice, null, TRITON),
                    post(IRIS + "/infer", alice, "application/json", KSERVE),
                    post(IRIS + "/infer", alice, "application/json", MLSERVER),
                    post(IRIS + "/versions/1/infer", alice, "application/json", MLSERVER_DICT))) {
                JsonNode answer = ok(response);
                assertThat(answer.get("model_name").asText()).isEqualTo("iris-species");
                assertThat(answer.get("model_version").asText()).isEqualTo("1");
                JsonNode label = output(answer, "label");
                assertThat(label.get("datatype").asText()).isEqualTo("BYTES");
                assertThat(label.get("shape")).isEqualTo(TestData.JSON.valueToTree(List.of(2)));
                assertThat(label.get("data")).isEqualTo(TestData.JSON.valueToTree(labels));
                JsonNode p = output(answer, "probabilities");
                assertThat(p.get("datatype").asText()).isEqualTo("FP64");
                assertThat(p.get("shape")).isEqualTo(TestData.JSON.valueToTree(List.of(2, 3)));
                List<String> written = new ArrayList<>();
                p.get("data").forEach(value -> written.add(value.toString()));
                // The numbers' text, so equal means the same double to the last bit.
                assertThat(written).as(response.body()).isEqualTo(probabilities);
                assertThat(response.body()).contains("\"data\":[" + String.join(",", probabilities) + "]");
            }
        }

        @Test
        void theIdIsEchoedAndParametersAreIgnored() {
            assertThat(ok(post(IRIS + "/infer", alice, null, TRITON)).get("id").asText()).isEqualTo("r1");
            assertThat(ok(post(IRIS + "/infer", alice, "application/json", MLSERVER)).has("id")).isFalse();
        }

        @Test
        void onlyTheOutputsAskedForAreReturned() {
            String body = KSERVE.substring(0, KSERVE.length() - 1) + ",\"outputs\":[{\"name\":\"probabilities\","
                    + "\"parameters\":{\"binary_data\":false}}]}";
            JsonNode answer = ok(infer(IRIS + "/infer", body));
            assertThat(answer.get("outputs")).hasSize(1);
            assertThat(answer.get("outputs").get(0).get("name").asText()).isEqualTo("probabilities");

            String unknown = KSERVE.substring(0, KSERVE.length() - 1) + ",\"outputs\":[{\"name\":\"colour\"}]}";
            assertThat(error(infer(IRIS + "/infer", unknown), 400)).contains("'colour'").contains("label");
        }

        @Test
        void flatOrNestedDataAnyFieldOrderAndIntegerTensors() {
            JsonNode nested = ok(infer("/v2/models/counts/infer", """
                    {"inputs": [
                      {"data": [[4], [2]], "name": "n", "datatype": "INT32", "shape": [2, 1]},
                      {"name": "x", "shape": [2], "datatype": "FP32", "data": [2, 0.5]}]}"""));
            JsonNode prediction = output(nested, "prediction");
            assertThat(prediction.get("datatype").asText()).isEqualTo("FP64");
            // 0.25 + 1.5 n + 0.5 x
            assertThat(prediction.get("data")).isEqualTo(TestData.JSON.valueToTree(List.of(7.25, 3.5)));
            JsonNode v1 = json(post("/v1/models/counts/predict", alice, "application/json",
                    "{\"instances\": [{\"n\": 4, \"x\": 2}, {\"n\": 2, \"x\": 0.5}]}"));
            assertThat(v1.get("predictions").get(1).get("prediction").doubleValue()).isEqualTo(3.5);
        }

        @Test
        void aPluginsBooleanOutputIsABoolTensor() {
            JsonNode answer = ok(infer("/v2/models/rule/infer",
                    "{\"inputs\": [{\"name\": \"score\", \"shape\": [3], \"datatype\": \"FP64\", \"data\": [650, 2, 600]}]}"));
            assertThat(output(answer, "passed").get("datatype").asText()).isEqualTo("BOOL");
            assertThat(output(answer, "passed").get("data"))
                    .isEqualTo(TestData.JSON.valueToTree(List.of(true, false, true)));
        }

        @Test
        void anOnnxClassifiersProbabilitiesAreColumnsInItsClassOrder() {
            JsonNode answer = ok(infer("/v2/models/churn/infer", """
                    {"inputs": [{"name": "x0", "shape": [2, 1], "datatype": "FP32", "data": [0.3, 1.0]},
                                {"name": "x1", "shape": [2, 1], "datatype": "FP32", "data": [-1.0, 1.0]}]}"""));
            assertThat(output(answer, "label").get("data")).isEqualTo(TestData.JSON.valueToTree(List.of("no", "yes")));
            JsonNode probabilities = output(answer, "probabilities");
            assertThat(probabilities.get("shape")).isEqualTo(TestData.JSON.valueToTree(List.of(2, 2)));
            // (no, yes) per row: (0.90, 0.10) and (0.35, 0.65), the tree ensemble's own float sums
            List<Double> values = new ArrayList<>();
            probabilities.get("data").forEach(p -> values.add(p.doubleValue()));
            assertThat(values).hasSize(4);
            assertThat(values.get(0)).isCloseTo(0.90, within(1e-6));
            assertThat(values.get(3)).isCloseTo(0.65, within(1e-6));
            assertThat(ok(get("/v2/models/churn", alice)).get("outputs").get(1).get("parameters").get("classes"))
                    .isEqualTo(TestData.JSON.valueToTree(List.of("no", "yes")));
        }

        @Test
        void anOnnxGraphsOwnOutputsKeepTheirNamesTypesAndRowShapes() {
            JsonNode answer = ok(infer("/v2/models/plain/infer", """
                    {"inputs": [{"name": "a", "shape": [2], "datatype": "FP64", "data": [1, -0.5]},
                                {"name": "b", "shape": [2], "datatype": "FP64", "data": [2, 4]}]}"""));
            JsonNode doubled = output(answer, "doubled");
            assertThat(doubled.get("datatype").asText()).isEqualTo("FP32");
            assertThat(doubled.get("shape")).isEqualTo(TestData.JSON.valueToTree(List.of(2, 2)));
            assertThat(doubled.get("data")).isEqualTo(TestData.JSON.valueToTree(List.of(2.0, 4.0, -1.0, 8.0)));
            JsonNode total = output(answer, "total");
            assertThat(total.get("shape")).isEqualTo(TestData.JSON.valueToTree(List.of(2, 1)));
            assertThat(total.get("data")).isEqualTo(TestData.JSON.valueToTree(List.of(3.0, 3.5)));
        }

        @Test
        void aStringInputIsABytesTensor() {
            JsonNode answer = ok(infer("/v2/models/paint/infer", """
                    {"inputs": [{"name": "x", "shape": [1], "datatype": "FP64", "data": [0.5]},
                                {"name": "colour", "shape": [1, 1], "datatype": "BYTES", "data": [["red"]]}]}"""));
            JsonNode v1 = json(post("/v1/models/paint/predict", alice, "application/json",
                    "{\"inputs\": {\"x\": 0.5, \"colour\": \"red\"}}"));
            assertThat(output(answer, "prediction").get("data").get(0).toString())
                    .isEqualTo(v1.get("outputs").get("prediction").toString());
        }

        @Test
        void eachCallIsAuditedWithItsModelVersionAndRows() {
            HttpResponse<String> response = post(IRIS + "/infer", alice, "application/json", KSERVE,
                    "X-Request-Id", "v2-audit-1");
            ok(response);
            JsonNode line = AuditLines.awaitRequestId(AUDIT_LOG, "v2-audit-1", 1).get(0);
            assertThat(line.get("user").asText()).isEqualTo("alice");
            assertThat(line.get("model").asText()).isEqualTo("iris-species");
            assertThat(line.get("version").asInt()).isEqualTo(1);
            assertThat(line.get("instances").asInt()).isEqualTo(2);
            assertThat(line.get("status").asInt()).isEqualTo(200);
            assertThat(line.get("path").asText()).isEqualTo(IRIS + "/infer");
        }

        @Test
        void eachCallIsCountedInThePrometheusSeries() {
            PrometheusText before = scrape();
            double records = before.value("sma_model_records_total", "model", "iris-species", "version", "1");
            double routed = before.value("sma_http_requests_total", "route", "/v2/models/{name}/infer",
                    "status_class", "2xx");
            ok(infer(IRIS + "/infer", KSERVE));
            PrometheusText after = Poll.until(Poll.PATIENCE, InferenceApiTest::scrape,
                    text -> text.value("sma_model_records_total", "model", "iris-species", "version", "1")
                            >= records + 2, "two more records of iris-species v1");
            assertThat(after.value("sma_model_records_total", "model", "iris-species", "version", "1"))
                    .isEqualTo(records + 2);
            assertThat(after.value("sma_http_requests_total", "route", "/v2/models/{name}/infer",
                    "status_class", "2xx")).isEqualTo(routed + 1);
        }

        @Test
        void eachCallIsCountedInTheModelsMetrics() {
            long before = APP.getEnvironment().metrics().timer("models.iris-species.predictions").getCount();
            ok(infer(IRIS + "/infer", KSERVE));
            assertThat(APP.getEnvironment().metrics().timer("models.iris-species.predictions").getCount())
                    .isEqualTo(before + 1);
        }
    }

    @Nested
    class BadRequests {
        private static final String ONE = "{\"name\": \"%s\", \"shape\": %s, \"datatype\": \"%s\", \"data\": %s}";

        private static String tensors(String... tensors) {
            return "{\"inputs\": [" + String.join(", ", tensors) + "]}";
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "no inputs field            | {}                                                  | no tensors",
                "empty inputs               | {\"inputs\": []}                                     | no tensors",
                "not an object              | [1, 2]                                              | JSON object",
                "unknown top-level field    | {\"inputs\": [], \"extra\": 1}                        | unknown field 'extra'",
                "id a number                | {\"id\": 5, \"inputs\": []}                           | \"id\"",
                "tensor not an object       | {\"inputs\": [5]}                                    | Input 0",
                "missing data               | {\"inputs\": [{\"name\": \"n\", \"shape\": [1], \"datatype\": \"INT64\"}]} | Tensor 'n' needs",
                "unknown datatype           | {\"inputs\": [{\"name\": \"n\", \"shape\": [1], \"datatype\": \"UINT8\", \"data\": [1]}]} | UINT8",
                "shape not sizes            | {\"inputs\": [{\"name\": \"n\", \"shape\": [-1], \"datatype\": \"INT64\", \"data\": [1]}]} | Tensor 'n'",
                "shape and data disagree    | {\"inputs\": [{\"name\": \"n\", \"shape\": [3], \"datatype\": \"INT64\", \"data\": [1, 2]}]} | Tensor 'n' has shape [3]",
                "a string in FP64 data      | {\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [\"1\"]}]} | Tensor 'x' holds a string",
                "null in data               | {\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [null]}]} | Tensor 'x' holds null",
                "non-finite                 | {\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [1e400]}]} | Tensor 'x' holds a number too large",
                "a fraction in INT64        | {\"inputs\": [{\"name\": \"n\", \"shape\": [1], \"datatype\": \"INT64\", \"data\": [1.5]}]} | Tensor 'n' holds a number",
                "INT32 out of range         | {\"inputs\": [{\"name\": \"n\", \"shape\": [1], \"datatype\": \"INT32\", \"data\": [3000000000]}]} | does not fit INT32",
                "INT64 out of range         | {\"inputs\": [{\"name\": \"n\", \"shape\": [1], \"datatype\": \"INT64\", \"data\": [99999999999999999999]}]} | does not fit INT64",
                "malformed JSON             | {\"inputs\": [                                       | not valid JSON",
                "duplicate field            | {\"inputs\": [], \"inputs\": []}                      | not valid JSON",
        })
        void aMalformedRequestIs400NamingWhatIsWrong(String what, String body, String message) {
            assertThat(error(infer("/v2/models/counts/infer", body), 400)).as(what).contains(message);
        }

        @Test
        void tensorsThatDoNotFitTheModelAre400NamingTheTensor() {
            String n = ONE.formatted("n", "[2]", "INT64", "[1, 2]");
            String x = ONE.formatted("x", "[2]", "FP64", "[1, 2]");
            assertThat(error(infer("/v2/models/counts/infer", tensors(n)), 400))
                    .contains("Input 'x' has no tensor");
            assertThat(error(infer("/v2/models/counts/infer", tensors(n, x, ONE.formatted("y", "[2]", "FP64",
                    "[1, 2]"))), 400)).contains("Tensor 'y' is not an input of this model").contains("n, x");
            assertThat(error(infer("/v2/models/counts/infer", tensors(n, x, x)), 400))
                    .contains("Tensor 'x' is sent twice");
            assertThat(error(infer("/v2/models/counts/infer", tensors(ONE.formatted("n", "[2]", "FP64", "[1, 2]"),
                    x)), 400)).contains("Tensor 'n' has datatype FP64").contains("INT64 or INT32");
            assertThat(error(infer("/v2/models/counts/infer", tensors(ONE.formatted("n", "[1, 2]", "INT64",
                    "[1, 2]"), x)), 400)).contains("Tensor 'n' has shape [1, 2]").contains("[N, 1]");
            assertThat(error(infer("/v2/models/counts/infer", tensors(n, ONE.formatted("x", "[3]", "FP64",
                    "[1, 2, 3]"))), 400)).contains("different numbers of rows").contains("'n' has 2")
                    .contains("'x' has 3");
            assertThat(error(infer("/v2/models/counts/infer", tensors(ONE.formatted("n", "[0]", "INT64", "[]"),
                    ONE.formatted("x", "[0]", "FP64", "[]"))), 400)).contains("no rows");
        }

        @Test
        void moreRowsThanMaxBatchSizeIs400() {
            int rows = APP.getConfiguration().getMaxBatchSize() + 1;
            StringBuilder ones = new StringBuilder("1");
            ones.append(",1".repeat(rows - 1));
            String body = tensors(ONE.formatted("n", "[" + rows + "]", "INT64", "[" + ones + "]"),
                    ONE.formatted("x", "[" + rows + "]", "FP64", "[" + ones + "]"));
            assertThat(error(infer("/v2/models/counts/infer", body), 400)).contains("at most "
                    + APP.getConfiguration().getMaxBatchSize() + " rows");
        }

        @Test
        void aBodyThatSaysItIsNotJsonIs415AndTheBinaryExtensionIsRefusedClearly() {
            assertThat(error(post(IRIS + "/infer", alice, "text/plain", KSERVE), 415)).contains("JSON");
            assertThat(error(post(IRIS + "/infer", alice, null, TRITON, "Inference-Header-Content-Length", "40"),
                    400)).contains("binary_data=False");
        }

        @Test
        void aBodyOverTheLimitIs413() {
            String big = "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [\""
                    + "a".repeat((int) APP.getConfiguration().getMaxRequestBytes().toBytes()) + "\"]}]}";
            assertThat(error(infer(IRIS + "/infer", big), 413)).isNotBlank();
        }
    }
}
