package com.simplemodelapi.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.testing.AuditLines;
import com.simplemodelapi.testing.TestApp;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

/** The public HTTP API, end to end: the real application from config.yml on a fresh PostgreSQL database. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ApiTest {
    private static final String DATABASE = TestPostgres.newDatabase();
    private static final Path AUDIT_LOG =
            Path.of("target", "audit", "ApiTest-" + UUID.randomUUID() + ".log").toAbsolutePath();
    static final DropwizardAppExtension<SimpleModelApiConfiguration> APP = TestApp.extension(DATABASE, AUDIT_LOG);

    private static final String COUNTS_MODEL = """
            {"name": "counts", "description": "integer input", "algorithm": "linear-regression",
             "inputs": [{"name": "n", "type": "integer"}, {"name": "x", "type": "number"}],
             "parameters": {"coefficients": {"n": 1.5, "x": 0.5}, "intercept": 0.25}}""";
    private static final Set<String> MODEL_FIELDS =
            Set.of("name", "version", "description", "algorithm", "inputs", "outputs", "created_at", "available");

    private static TestData data;
    private static String alice;
    private static String bob;
    private static String carol;
    private static JsonNode iris;

    @BeforeAll
    static void setUp() throws IOException {
        data = new TestData(DATABASE);
        alice = data.user("alice");
        bob = data.user("bob");
        carol = data.user("carol");

        assertThat(data.linearModel("linear", 1.0)).isEqualTo(1);
        assertThat(data.linearModel("linear", 5.0)).isEqualTo(2);
        data.model(COUNTS_MODEL);
        try (InputStream in = ApiTest.class.getResourceAsStream("/demo/iris-species.json")) {
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            iris = TestData.JSON.readTree(json);
            data.model(json);
        }
        data.linearModel("secret-model", 0.0);

        for (String model : List.of("linear", "counts", "iris-species")) {
            data.grant("alice", model);
            data.grant("carol", model);
        }
        data.grant("bob", "secret-model");
        refresh();
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    record Reply(Response response, String body) {
        int status() {
            return response.getStatus();
        }

        String header(String name) {
            return response.getHeaderString(name);
        }

        JsonNode json() {
            try {
                return TestData.JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new AssertionError("Not JSON (status " + status() + "): " + body, e);
            }
        }
    }

    static void refresh() {
        try (Response response = APP.client().target("http://localhost:" + APP.getAdminPort() + "/tasks/refresh")
                .request().post(Entity.text(""))) {
            assertThat(response.getStatus()).isEqualTo(200);
        }
    }

    static Reply call(String method, String path, String key, String contentType, String body, String requestId) {
        Invocation.Builder request = APP.client().target("http://localhost:" + APP.getLocalPort() + path).request();
        if (key != null) {
            request.header(HttpHeaders.AUTHORIZATION, "Bearer " + key);
        }
        if (requestId != null) {
            request.header("X-Request-Id", requestId);
        }
        Response response = body == null ? request.method(method) : request.method(method, Entity.entity(body, contentType));
        return new Reply(response, response.readEntity(String.class));
    }

    static Reply get(String path, String key) {
        return call("GET", path, key, null, null, null);
    }

    static Reply post(String path, String key, String json) {
        return call("POST", path, key, MediaType.APPLICATION_JSON, json, null);
    }

    static Reply predict(String model, String key, String json) {
        return post("/v1/models/" + model + "/predict", key, json);
    }

    static JsonNode ok(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.header(HttpHeaders.CONTENT_TYPE)).startsWith(MediaType.APPLICATION_JSON);
        assertThat(reply.header("X-Request-Id")).isNotBlank();
        return reply.json();
    }

    /** Checks the one error shape and returns its "error" object. */
    static JsonNode assertError(Reply reply, int status, String... codes) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.header(HttpHeaders.CONTENT_TYPE)).startsWith(MediaType.APPLICATION_JSON);
        JsonNode body = reply.json();
        assertThat(names(body)).containsExactlyInAnyOrder("error", "request_id");
        JsonNode error = body.get("error");
        assertThat(names(error)).containsExactlyInAnyOrder("code", "message", "details");
        assertThat(error.get("code").asText()).isIn((Object[]) codes);
        assertThat(error.get("message").isTextual()).isTrue();
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.get("details").isArray()).isTrue();
        assertThat(reply.header("X-Request-Id")).isNotBlank();
        assertThat(body.get("request_id").asText()).isEqualTo(reply.header("X-Request-Id"));
        return error;
    }

    static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    static final String LINEAR_INPUTS = "{\"inputs\": {\"x1\": 3, \"x2\": 1}}";

    // --- tests -----------------------------------------------------------------------------------------------------

    @Nested
    class Me {
        @Test
        void namesTheCallerAndTheModelsTheyMayCall() {
            JsonNode me = ok(get("/v1/me", alice));
            assertThat(names(me)).containsExactlyInAnyOrder("name", "models");
            assertThat(me.get("name").asText()).isEqualTo("alice");
            assertThat(texts(me.get("models"))).containsExactly("counts", "iris-species", "linear");

            JsonNode other = ok(get("/v1/me", bob));
            assertThat(other.get("name").asText()).isEqualTo("bob");
            assertThat(texts(other.get("models"))).containsExactly("secret-model");
        }
    }

    @Nested
    class Models {
        @Test
        void listsOnlyGrantedModelsAtTheirLatestVersion() {
            JsonNode list = ok(get("/v1/models", alice));
            assertThat(names(list)).containsExactly("models");
            JsonNode models = list.get("models");
            assertThat(models).extracting(m -> m.get("name").asText(), m -> m.get("version").asInt())
                    .containsExactly(tuple("counts", 1), tuple("iris-species", 1), tuple("linear", 2));
            models.forEach(model -> assertThat(names(model)).containsExactlyInAnyOrderElementsOf(MODEL_FIELDS));

            assertThat(ok(get("/v1/models", bob)).get("models"))
                    .extracting(m -> m.get("name").asText()).containsExactly("secret-model");
        }

        @Test
        void showsTheLatestVersionInFull() throws IOException {
            JsonNode model = ok(get("/v1/models/linear", alice));
            assertThat(names(model)).containsExactlyInAnyOrderElementsOf(MODEL_FIELDS);
            assertThat(model.get("name").asText()).isEqualTo("linear");
            assertThat(model.get("version").isInt()).isTrue();
            assertThat(model.get("version").asInt()).isEqualTo(2);
            assertThat(model.get("description").asText()).isEqualTo("test");
            assertThat(model.get("algorithm").asText()).isEqualTo("linear-regression");
            assertThat(model.get("inputs")).isEqualTo(TestData.JSON.readTree("""
                    [{"name": "x1", "type": "number", "required": true},
                     {"name": "x2", "type": "number", "required": true}]"""));
            assertThat(model.get("outputs")).isEqualTo(TestData.JSON.readTree("""
                    [{"name": "prediction", "type": "number"}]"""));

            assertThat(model.get("created_at").isTextual()).as("created_at is an ISO-8601 string").isTrue();
            Instant created = Instant.parse(model.get("created_at").asText());
            // The time the database stored the version, not the test's clock, which need not agree with PostgreSQL's.
            OffsetDateTime stored = data.jdbi().withHandle(handle -> handle.createQuery(
                    "SELECT created_at FROM model_versions WHERE name = 'linear' AND version = 2")
                    .mapTo(OffsetDateTime.class).one());
            assertThat(created).isEqualTo(stored.toInstant());
        }

        @Test
        void showsAGivenVersion() {
            JsonNode v1 = ok(get("/v1/models/linear/versions/1", alice));
            assertThat(names(v1)).containsExactlyInAnyOrderElementsOf(MODEL_FIELDS);
            assertThat(v1.get("name").asText()).isEqualTo("linear");
            assertThat(v1.get("version").asInt()).isEqualTo(1);
            assertThat(ok(get("/v1/models/linear/versions/2", alice)).get("version").asInt()).isEqualTo(2);
        }

        @Test
        void describesIntegerInputsAndClassifierOutputs() throws IOException {
            assertThat(ok(get("/v1/models/counts", alice)).get("inputs")).isEqualTo(TestData.JSON.readTree("""
                    [{"name": "n", "type": "integer", "required": true},
                     {"name": "x", "type": "number", "required": true}]"""));
            assertThat(ok(get("/v1/models/iris-species", alice)).get("outputs")).isEqualTo(TestData.JSON.readTree("""
                    [{"name": "label", "type": "string"},
                     {"name": "probabilities", "type": "object", "classes": ["setosa", "versicolor", "virginica"]}]"""));
        }
    }

    @Nested
    class Predictions {
        @Test
        void predictsOneRecordWithTheLatestVersion() {
            JsonNode reply = ok(predict("linear", alice, LINEAR_INPUTS));
            assertThat(names(reply)).containsExactlyInAnyOrder("model", "version", "outputs");
            assertThat(reply.get("model").asText()).isEqualTo("linear");
            assertThat(reply.get("version").asInt()).isEqualTo(2);
            // 5 + 2*3 - 3*1
            assertThat(names(reply.get("outputs"))).containsExactly("prediction");
            assertThat(reply.get("outputs").get("prediction").doubleValue()).isEqualTo(8.0);
        }

        @Test
        void predictsWithAGivenVersion() {
            JsonNode reply = ok(post("/v1/models/linear/versions/1/predict", alice,
                    "{\"inputs\": {\"x1\": 0.5, \"x2\": 0.25}}"));
            assertThat(reply.get("model").asText()).isEqualTo("linear");
            assertThat(reply.get("version").asInt()).isEqualTo(1);
            // 1 + 2*0.5 - 3*0.25
            assertThat(reply.get("outputs").get("prediction").doubleValue()).isEqualTo(1.25);
        }

        @Test
        void predictsABatchInOrderAndEchoesAStringId() {
            JsonNode reply = ok(post("/v1/models/linear/versions/1/predict", alice, """
                    {"id": "req-7", "instances": [
                      {"x1": 0, "x2": 0}, {"x1": 1.5, "x2": 0.5}, {"x1": -2, "x2": 4}, {"x2": 1, "x1": 10}]}"""));
            assertThat(names(reply)).containsExactlyInAnyOrder("id", "model", "version", "predictions");
            assertThat(reply.get("id").isTextual()).isTrue();
            assertThat(reply.get("id").asText()).isEqualTo("req-7");
            assertThat(reply.get("model").asText()).isEqualTo("linear");
            assertThat(reply.get("version").asInt()).isEqualTo(1);
            assertThat(reply.get("predictions")).extracting(p -> p.get("prediction").doubleValue())
                    .containsExactly(1.0, 2.5, -15.0, 18.0);
        }

        @Test
        void echoesANumericId() {
            JsonNode single = ok(predict("linear", alice, "{\"id\": 42, \"inputs\": {\"x1\": 0, \"x2\": 0}}"));
            assertThat(single.get("id").isNumber()).isTrue();
            assertThat(single.get("id").asInt()).isEqualTo(42);
            assertThat(single.get("outputs").get("prediction").doubleValue()).isEqualTo(5.0);

            JsonNode batch = ok(predict("linear", alice, "{\"id\": 7, \"instances\": [{\"x1\": 1, \"x2\": 1}]}"));
            assertThat(batch.get("id").isNumber()).isTrue();
            assertThat(batch.get("id").asInt()).isEqualTo(7);
            assertThat(batch.get("predictions")).extracting(p -> p.get("prediction").doubleValue())
                    .containsExactly(4.0);
        }

        @Test
        void takesIntegerInputs() {
            // 0.25 + 1.5*4 + 0.5*2
            JsonNode reply = ok(predict("counts", alice, "{\"inputs\": {\"n\": 4, \"x\": 2}}"));
            assertThat(reply.get("outputs").get("prediction").doubleValue()).isEqualTo(7.25);
        }

        @Test
        void logisticModelGivesALabelAndProbabilitiesThatSumToOne() {
            JsonNode reply = ok(post("/v1/models/iris-species/predict", alice, """
                    {"instances": [
                      {"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2},
                      {"sepal_length": 6.7, "sepal_width": 3.0, "petal_length": 5.2, "petal_width": 2.3}]}"""));
            assertThat(reply.get("model").asText()).isEqualTo("iris-species");
            JsonNode predictions = reply.get("predictions");
            assertThat(predictions).hasSize(2);
            assertIris(predictions.get(0), "setosa", new double[] {5.1, 3.5, 1.4, 0.2});
            assertIris(predictions.get(1), "virginica", new double[] {6.7, 3.0, 5.2, 2.3});
        }

        private void assertIris(JsonNode prediction, String label, double[] x) {
            assertThat(names(prediction)).containsExactly("label", "probabilities");
            assertThat(prediction.get("label").asText()).isEqualTo(label);
            JsonNode probabilities = prediction.get("probabilities");
            assertThat(names(probabilities)).containsExactly("setosa", "versicolor", "virginica");

            // softmax of intercept + coefficients . x, as scikit-learn's multinomial predict_proba
            String[] features = {"sepal_length", "sepal_width", "petal_length", "petal_width"};
            JsonNode parameters = iris.get("parameters");
            double[] z = new double[3];
            for (int k = 0; k < 3; k++) {
                z[k] = parameters.get("intercepts").get(k).doubleValue();
                for (int i = 0; i < features.length; i++) {
                    z[k] += parameters.get("coefficients").get(k).get(features[i]).doubleValue() * x[i];
                }
            }
            double max = Math.max(z[0], Math.max(z[1], z[2]));
            double sum = 0;
            for (double v : z) {
                sum += Math.exp(v - max);
            }
            double total = 0;
            for (int k = 0; k < 3; k++) {
                double p = probabilities.get(texts(parameters.get("classes")).get(k)).doubleValue();
                assertThat(p).isCloseTo(Math.exp(z[k] - max) / sum, within(1e-12));
                total += p;
            }
            assertThat(total).isCloseTo(1.0, within(1e-12));
            assertThat(probabilities.get(label).doubleValue()).isGreaterThan(0.5);
        }
    }

    @Nested
    class MalformedBodies {
        @ParameterizedTest
        @ValueSource(strings = {
                "{",
                "not json",
                "{\"inputs\": {\"x1\": 1, \"x2\": 2}",
                "{\"inputs\": {\"x1\": 1, \"x2\": 2}} trailing",
                "",
                "null",
                "[]",
                "42",
                "\"inputs\"",
                "{\"inputs\": [1, 2]}",
                "{\"inputs\": \"x1=1\"}",
                "{\"inputs\": {\"x1\": 1, \"x2\": 2}, \"instances\": [{\"x1\": 1, \"x2\": 2}]}",
                "{}",
                "{\"id\": \"only-an-id\"}",
                "{\"instances\": []}",
                "{\"instances\": {\"x1\": 1, \"x2\": 2}}",
                "{\"instances\": [null]}",
                "{\"instances\": [1, 2]}",
                "{\"instances\": [[1, 2]]}",
                "{\"id\": {\"a\": 1}, \"inputs\": {\"x1\": 1, \"x2\": 2}}",
                "{\"id\": [1], \"inputs\": {\"x1\": 1, \"x2\": 2}}",
                "{\"id\": true, \"instances\": [{\"x1\": 1, \"x2\": 2}]}",
        })
        void wrongBodiesAre400(String body) {
            assertError(predict("linear", alice, body), 400, "malformed_json", "invalid_body");
            assertError(post("/v1/models/linear/versions/1/predict", alice, body), 400, "malformed_json", "invalid_body");
        }

        @Test
        void syntaxErrorsAreMalformedJsonAndShapeErrorsAreInvalidBody() {
            assertThat(assertError(predict("linear", alice, "{\"inputs\": "), 400, "malformed_json", "invalid_body")
                    .get("code").asText()).isEqualTo("malformed_json");
            assertThat(assertError(predict("linear", alice, "{\"inputs\": [1]}"), 400, "invalid_body")
                    .get("code").asText()).isEqualTo("invalid_body");
        }

        @Test
        void aMisspeltFieldIsRefusedRatherThanIgnored() {
            JsonNode error = assertError(
                    predict("linear", alice, "{\"inputs\": {\"x1\": 1, \"x2\": 2}, \"instance\": []}"), 400, "invalid_body");
            assertThat(error.get("message").asText()).contains("unknown field (at /instance)");
        }

        @Test
        void errorMessagesDoNotQuoteTheCallersData() {
            JsonNode error = assertError(predict("linear", alice, "{\"inputs\": {\"x1\": \"confidential-value\"'"),
                    400, "malformed_json", "invalid_body");
            assertThat(error.toString()).doesNotContain("confidential-value");
        }
    }

    @Nested
    class InvalidInputs {
        @Test
        void reportsEveryProblemOfOneRecord() {
            JsonNode error = assertError(predict("linear", alice, "{\"inputs\": {\"x1\": \"3\", \"x9\": 1}}"),
                    422, "invalid_inputs");
            assertThat(error.get("details")).extracting(
                            d -> d.get("instance").asInt(), d -> d.get("field").asText(), d -> d.get("problem").asText())
                    .containsExactlyInAnyOrder(
                            tuple(0, "x1", "wrong_type"), tuple(0, "x2", "missing"), tuple(0, "x9", "unknown_field"));
            error.get("details").forEach(detail -> {
                assertThat(names(detail)).contains("instance", "field", "problem");
                assertThat(detail.get("instance").isInt()).isTrue();
            });
        }

        @Test
        void reportsProblemsAcrossABatchWithTheirInstanceIndex() {
            JsonNode error = assertError(post("/v1/models/linear/versions/1/predict", alice, """
                    {"instances": [
                      {"x1": 1, "x2": 2},
                      {"x1": 1e999, "x2": 2},
                      {"x1": 1, "x2": 2, "x3": 0},
                      {"x2": true},
                      {"x1": null, "x2": [1]},
                      {"x1": {"v": 1}, "x2": -1e999}]}"""), 422, "invalid_inputs");
            assertThat(error.get("details")).extracting(
                            d -> d.get("instance").asInt(), d -> d.get("field").asText(), d -> d.get("problem").asText())
                    .containsExactlyInAnyOrder(
                            tuple(1, "x1", "not_finite"),
                            tuple(2, "x3", "unknown_field"),
                            tuple(3, "x1", "missing"),
                            tuple(3, "x2", "wrong_type"),
                            tuple(4, "x1", "missing"),
                            tuple(4, "x2", "wrong_type"),
                            tuple(5, "x1", "wrong_type"),
                            tuple(5, "x2", "not_finite"));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "{\"n\": 2.5, \"x\": 1}       | n | wrong_type",
                "{\"n\": \"2\", \"x\": 1}     | n | wrong_type",
                "{\"n\": 1e999, \"x\": 1}     | n | not_finite",
                "{\"n\": 1, \"x\": 1e999}     | x | not_finite",
                "{\"n\": 1, \"x\": \"1.0\"}   | x | wrong_type",
                "{\"n\": 1}                   | x | missing",
                "{\"n\": 1, \"x\": 1, \"m\": 0} | m | unknown_field",
        })
        void checksEachInputType(String inputs, String field, String problem) {
            JsonNode error = assertError(predict("counts", alice, "{\"inputs\": " + inputs + "}"), 422, "invalid_inputs");
            assertThat(error.get("details")).extracting(
                            d -> d.get("instance").asInt(), d -> d.get("field").asText(), d -> d.get("problem").asText())
                    .containsExactly(tuple(0, field, problem));
        }

        @Test
        void aWholeNumberWrittenWithADecimalPointIsAnInteger() {
            JsonNode reply = ok(predict("counts", alice, "{\"inputs\": {\"n\": 4.0, \"x\": 2}}"));
            assertThat(reply.get("outputs").get("prediction").doubleValue()).isEqualTo(7.25);
        }
    }

    @Nested
    class Routing {
        @ParameterizedTest
        @ValueSource(strings = {"/", "/v1", "/v1/nope", "/v1/models/linear/versions",
                "/v1/models/linear/versions/1/extra", "/v1/me/extra"})
        void unknownRouteIs404WithOrWithoutAKey(String path) {
            assertError(get(path, alice), 404, "not_found");
            assertError(get(path, null), 404, "not_found");
        }

        @ParameterizedTest
        @CsvSource({
                "DELETE, /v1/me, GET",
                "POST, /v1/me, GET",
                "POST, /v1/models, GET",
                "PUT, /v1/models/linear, GET",
                "DELETE, /v1/models/linear/versions/1, GET",
                "GET, /v1/models/linear/predict, POST",
                "PUT, /v1/models/linear/versions/1/predict, POST",
        })
        void wrongMethodIs405WithAllow(String method, String path, String allowed) {
            String body = method.equals("POST") || method.equals("PUT") ? LINEAR_INPUTS : null;
            Reply reply = call(method, path, alice, MediaType.APPLICATION_JSON, body, null);
            assertError(reply, 405, "method_not_allowed");
            assertThat(reply.header(HttpHeaders.ALLOW)).contains(allowed);
        }

        @ParameterizedTest
        @ValueSource(strings = {"text/plain", "application/xml", "application/x-www-form-urlencoded"})
        void nonJsonBodyIs415(String contentType) {
            assertError(call("POST", "/v1/models/linear/predict", alice, contentType, LINEAR_INPUTS, null),
                    415, "unsupported_media_type");
            assertError(call("POST", "/v1/models/linear/versions/1/predict", alice, contentType, LINEAR_INPUTS, null),
                    415, "unsupported_media_type");
        }

        @Test
        void jsonWithACharsetIsAccepted() {
            Reply reply = call("POST", "/v1/models/linear/predict", alice, "application/json; charset=UTF-8",
                    LINEAR_INPUTS, null);
            assertThat(ok(reply).get("outputs").get("prediction").doubleValue()).isEqualTo(8.0);
        }
    }

    @Nested
    class RequestIds {
        @Test
        void aSaneClientIdIsEchoedOnSuccessAndOnError() {
            Reply success = call("GET", "/v1/me", alice, null, null, "abc-123");
            assertThat(success.status()).isEqualTo(200);
            assertThat(success.header("X-Request-Id")).isEqualTo("abc-123");

            Reply failure = call("GET", "/v1/models/no-such-model", alice, null, null, "abc-123");
            assertError(failure, 404, "not_found");
            assertThat(failure.header("X-Request-Id")).isEqualTo("abc-123");

            Reply unauthorized = call("GET", "/v1/me", null, null, null, "trace.42:x_y");
            assertError(unauthorized, 401, "unauthorized");
            assertThat(unauthorized.header("X-Request-Id")).isEqualTo("trace.42:x_y");
        }

        @ParameterizedTest
        @ValueSource(strings = {"has spaces in it", "semi;colon", "quote\"d", "<script>"})
        void anInsaneClientIdIsReplacedByAUuid(String sent) {
            Reply reply = call("GET", "/v1/models/no-such-model", alice, null, null, sent);
            assertError(reply, 404, "not_found");
            assertThat(reply.header("X-Request-Id")).isNotEqualTo(sent);
            assertThat(UUID.fromString(reply.header("X-Request-Id"))).isNotNull();
        }

        @Test
        void aTooLongClientIdIsReplacedByAUuid() {
            String longId = "a".repeat(300);
            Reply reply = call("GET", "/v1/me", alice, null, null, longId);
            assertThat(reply.status()).isEqualTo(200);
            assertThat(UUID.fromString(reply.header("X-Request-Id"))).isNotNull();

            Reply error = call("POST", "/v1/models/linear/predict", alice, MediaType.APPLICATION_JSON, "{", longId);
            assertError(error, 400, "malformed_json", "invalid_body");
            assertThat(UUID.fromString(error.header("X-Request-Id"))).isNotNull();

            String longest = "b".repeat(128);
            assertThat(call("GET", "/v1/me", alice, null, null, longest).header("X-Request-Id")).isEqualTo(longest);
        }

        @Test
        void withoutAClientIdEachResponseGetsAFreshUuid() {
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                Reply reply = get("/v1/nope", null);
                assertError(reply, 404, "not_found");
                ids.add(UUID.fromString(reply.header("X-Request-Id")).toString());
                ids.add(UUID.fromString(get("/v1/me", alice).header("X-Request-Id")).toString());
            }
            assertThat(ids).hasSize(6);
        }
    }

    @Nested
    class SecretsAndStorage {
        /** Bad requests of every kind, sent with a real key. */
        private List<Reply> badRequests(String key) {
            return List.of(
                    get("/v1/nope", key),
                    get("/v1/models/no-such-model", key),
                    get("/v1/models/secret-model", key),
                    get("/v1/models/linear/versions/77", key),
                    get("/v1/models/linear/versions/abc", key),
                    call("DELETE", "/v1/me", key, null, null, null),
                    call("POST", "/v1/models", key, MediaType.APPLICATION_JSON, COUNTS_MODEL, null),
                    call("PUT", "/v1/models/linear", key, MediaType.APPLICATION_JSON, COUNTS_MODEL, null),
                    call("DELETE", "/v1/models/linear", key, null, null, null),
                    call("POST", "/v1/models/linear/predict", key, "text/plain", LINEAR_INPUTS, null),
                    predict("linear", key, "{"),
                    predict("linear", key, "{\"inputs\": [1]}"),
                    predict("linear", key, "{\"instances\": []}"),
                    predict("linear", key, "{\"inputs\": {\"x1\": \"a\"}}"),
                    predict("secret-model", key, LINEAR_INPUTS));
        }

        @Test
        void theAuditLogRecordsRequestsButNeverTheKey() throws Exception {
            String unknownKey = "sma_" + UUID.randomUUID();
            badRequests(alice);
            get("/v1/me", unknownKey);
            String probe = "audit-probe-" + UUID.randomUUID();
            assertThat(call("POST", "/v1/models/linear/predict", alice, MediaType.APPLICATION_JSON, LINEAR_INPUTS, probe)
                    .status()).isEqualTo(200);

            String log = AuditLines.awaitText(AUDIT_LOG, probe);
            assertThat(log).doesNotContain(alice).doesNotContain(alice.substring(4)).doesNotContain(unknownKey)
                    .doesNotContain(carol).doesNotContain(bob).doesNotContainIgnoringCase("bearer");
            JsonNode line = log.lines().filter(l -> l.contains(probe)).map(ApiTest::parse).findFirst().orElseThrow();
            assertThat(line.get("user").asText()).isEqualTo("alice");
            assertThat(line.get("status").asInt()).isEqualTo(200);
            assertThat(line.get("model").asText()).isEqualTo("linear");
            assertThat(line.get("version").asInt()).isEqualTo(2);
        }

        @Test
        void badRequestsStoreNothing() {
            String modelsBefore = ok(get("/v1/models", alice)).toString();
            String meBefore = ok(get("/v1/me", alice)).toString();
            Map<String, Integer> rowsBefore = rowCounts();

            for (Reply reply : badRequests(alice)) {
                assertThat(reply.status()).as(reply.body()).isBetween(400, 499);
            }
            refresh();

            assertThat(rowCounts()).isEqualTo(rowsBefore);
            assertThat(ok(get("/v1/models", alice)).toString()).isEqualTo(modelsBefore);
            assertThat(ok(get("/v1/me", alice)).toString()).isEqualTo(meBefore);
        }

        private Map<String, Integer> rowCounts() {
            return data.jdbi().withHandle(handle -> Map.of(
                    "users", count(handle, "users"),
                    "api_keys", count(handle, "api_keys"),
                    "model_versions", count(handle, "model_versions"),
                    "grants", count(handle, "grants")));
        }

        private int count(org.jdbi.v3.core.Handle handle, String table) {
            return handle.createQuery("SELECT count(*) FROM " + table).mapTo(Integer.class).one();
        }
    }

    static JsonNode parse(String json) {
        try {
            return TestData.JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError("Not JSON: " + json, e);
        }
    }
}
