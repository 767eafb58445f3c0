package com.simplemodelapi.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.testing.Poll;
import com.simplemodelapi.testing.TestApp;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** maxRequestBytes and maxBatchSize, on an application started with small values for both. */
@ExtendWith(DropwizardExtensionsSupport.class)
class RequestLimitsTest {
    private static final int MAX_BYTES = 2048;
    private static final String DATABASE = TestPostgres.newMigratedDatabase();
    static final DropwizardAppExtension<SimpleModelApiConfiguration> APP = TestApp.extension(DATABASE,
            Path.of("target", "audit", "RequestLimitsTest-" + UUID.randomUUID() + ".log").toAbsolutePath(),
            ConfigOverride.config("maxRequestBytes", "2KiB"),
            ConfigOverride.config("maxBatchSize", "3"));

    /** For requests within the limits; oversize ones go through a client of their own (see the last test). */
    private static final HttpClient HTTP = newClient();
    private static String key;

    @BeforeAll
    static void setUp() throws Exception {
        TestData data = new TestData(DATABASE);
        key = data.user("limited");
        data.linearModel("linear", 1.0);
        data.grant("limited", "linear");
        HttpResponse<String> refresh = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + APP.getAdminPort() + "/tasks/refresh"))
                .POST(BodyPublishers.noBody()).build(), BodyHandlers.ofString());
        assertThat(refresh.statusCode()).isEqualTo(200);
    }

    private static HttpClient newClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Poll.PATIENCE)
                .build();
    }

    private static HttpResponse<String> predict(String path, BodyPublisher body, String requestId)
            throws IOException, InterruptedException {
        return predict(HTTP, path, body, requestId);
    }

    private static HttpResponse<String> predictOversize(String path, BodyPublisher body, String requestId)
            throws IOException, InterruptedException {
        return predict(newClient(), path, body, requestId);
    }

    private static HttpResponse<String> predict(HttpClient client, String path, BodyPublisher body, String requestId)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getLocalPort() + path))
                .timeout(Poll.PATIENCE)
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(body);
        if (requestId != null) {
            request.header("X-Request-Id", requestId);
        }
        return client.send(request.build(), BodyHandlers.ofString());
    }

    private static HttpResponse<String> predict(String json) throws IOException, InterruptedException {
        return predict("/v1/models/linear/predict", BodyPublishers.ofString(json), null);
    }

    /** No Content-Length: the body goes out chunked. */
    private static BodyPublisher chunked(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes));
    }

    /** A valid single-record request of exactly {@code size} bytes, padded in its id. */
    private static String requestOfSize(int size) {
        String template = "{\"id\": \"%s\", \"inputs\": {\"x1\": 3, \"x2\": 1}}";
        String json = template.formatted("p".repeat(size - template.formatted("").length()));
        assertThat(json.getBytes(StandardCharsets.UTF_8)).hasSize(size);
        return json;
    }

    private static String batchOf(int count) {
        List<String> instances = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            instances.add("{\"x1\": " + i + ", \"x2\": 0}");
        }
        return "{\"instances\": [" + String.join(", ", instances) + "]}";
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return TestData.JSON.readTree(response.body());
    }

    private static JsonNode assertError(HttpResponse<String> response, int status, String code) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode body = json(response);
        assertThat(body.get("error").get("code").asText()).isEqualTo(code);
        assertThat(body.get("error").get("message").asText()).isNotBlank();
        assertThat(body.get("error").get("details").isArray()).isTrue();
        String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(body.get("request_id").asText()).isEqualTo(requestId);
        return body.get("error");
    }

    @Test
    void aBatchAtTheLimitIsServedInOrder() throws Exception {
        HttpResponse<String> response = predict(batchOf(3));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).get("predictions")).extracting(p -> p.get("prediction").doubleValue())
                .containsExactly(1.0, 3.0, 5.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/models/linear/predict", "/v1/models/linear/versions/1/predict"})
    void aBatchOverTheLimitIs400(String path) throws Exception {
        JsonNode error = assertError(predict(path, BodyPublishers.ofString(batchOf(4)), null), 400, "batch_too_large");
        assertThat(error.get("message").asText()).contains("3");
    }

    @Test
    void aBodyOfExactlyTheLimitIsServed() throws Exception {
        HttpResponse<String> response = predict(requestOfSize(MAX_BYTES));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).get("outputs").get("prediction").doubleValue()).isEqualTo(4.0);
    }

    @Test
    void aBodyOneByteOverTheLimitIs413() throws Exception {
        assertError(predictOversize("/v1/models/linear/predict", BodyPublishers.ofString(requestOfSize(MAX_BYTES + 1)),
                null), 413, "request_too_large");
    }

    @ParameterizedTest
    @ValueSource(ints = {5_000, 100_000})
    void aLargeBodyWithContentLengthIs413(int size) throws Exception {
        HttpResponse<String> response = predictOversize("/v1/models/linear/predict",
                BodyPublishers.ofString(requestOfSize(size)), "too-big-1");
        assertError(response, 413, "request_too_large");
        // Refused before a byte of the body is read, so the connection cannot be reused.
        assertThat(response.headers().firstValue("Connection")).hasValue("close");
        assertThat(response.headers().firstValue("X-Request-Id")).hasValue("too-big-1");
    }

    @ParameterizedTest
    @ValueSource(ints = {MAX_BYTES + 1, 5_000, 100_000})
    void aLargeChunkedBodyIs413(int size) throws Exception {
        HttpResponse<String> response = predictOversize("/v1/models/linear/versions/1/predict",
                chunked(requestOfSize(size)), "too-big-2");
        assertError(response, 413, "request_too_large");
        assertThat(response.headers().firstValue("X-Request-Id")).hasValue("too-big-2");
    }

    @Test
    void aSmallChunkedBodyIsServed() throws Exception {
        HttpResponse<String> response = predict("/v1/models/linear/predict", chunked(requestOfSize(MAX_BYTES)), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).get("outputs").get("prediction").doubleValue()).isEqualTo(4.0);
    }

    /**
     * A 413 found part-way through a body leaves the rest of it on the connection. Answering and closing while the
     * client still sends can lose the client its answer (a TCP reset); the server reads the rest and throws it away
     * instead, so the client gets its 413 and can reuse its connection for the next request.
     */
    @Test
    void aClientCanGoOnUsingItsConnectionAfterA413() throws Exception {
        HttpClient client = newClient();
        List<String> failures = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            HttpResponse<String> refused = predict(client, "/v1/models/linear/predict",
                    chunked(requestOfSize(100_000)), null);
            assertError(refused, 413, "request_too_large");
            // The server read the rest of the body (it is within CheckedBodyStream.DISCARD_LIMIT), so it keeps the
            // connection.
            assertThat(refused.headers().firstValue("Connection")).isEmpty();
            try {
                HttpResponse<String> next = predict(client, "/v1/models/linear/predict",
                        BodyPublishers.ofString("{\"inputs\": {\"x1\": 1, \"x2\": 1}}"), null);
                assertThat(next.statusCode()).isEqualTo(200);
            } catch (IOException e) {
                failures.add("round " + round + ": " + e.getMessage() + " (the 413 had Connection: "
                        + refused.headers().firstValue("Connection").orElse("<none>") + ")");
            }
        }
        assertThat(failures).as("requests that failed after a 413 on the same client").isEmpty();
    }
}
