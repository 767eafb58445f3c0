package com.simplemodelapi.prediction;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.simplemodelapi.app.SimpleModelApiApplication;
import com.simplemodelapi.error.ApiException;
import com.simplemodelapi.error.JsonProcessingExceptionMapper;
import com.simplemodelapi.models.api.InputField;
import com.simplemodelapi.models.api.InputType;
import com.simplemodelapi.prediction.model.BatchPredictionResponse;
import com.simplemodelapi.prediction.model.PredictRequest;
import com.simplemodelapi.prediction.model.PredictionResponse;
import com.simplemodelapi.prediction.service.InputValidator;
import com.simplemodelapi.web.CheckedBodyStream;
import io.dropwizard.jackson.Jackson;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the request-body path, in process: bytes pass the same UTF-8 check as a request body and
 * are read into a {@link PredictRequest} by an ObjectMapper configured exactly as the application's, checked for shape, validated against a model with one input of
 * every type, and the answer (or the error body) is written back as JSON. The only outcomes allowed are a prediction's
 * inputs or one of our 4xx refusals; any other throwable is a finding.
 *
 * <p>Plain {@code mvn test} fuzzes for 20 seconds in a JVM of its own (see the {@code fuzz} profile in pom.xml).
 * Without {@code JAZZER_FUZZ} it only replays the committed inputs in
 * {@code src/test/resources/com/simplemodelapi/prediction/PredictRequestFuzzTestInputs/aBodyIsReadOrRefusedWithA4xx/}.
 */
class PredictRequestFuzzTest {
    private static final ObjectMapper JSON = SimpleModelApiApplication.configureJson(Jackson.newObjectMapper());
    private static final ObjectReader READER = JSON.readerFor(PredictRequest.class);
    private static final int MAX_BATCH_SIZE = 1000;
    private static final List<InputField> INPUTS = List.of(
            new InputField("x", InputType.NUMBER, true),
            new InputField("n", InputType.INTEGER, true),
            new InputField("s", InputType.STRING, false),
            new InputField("b", InputType.BOOLEAN, false));

    @FuzzTest(maxDuration = "20s")
    void aBodyIsReadOrRefusedWithA4xx(byte[] body) throws IOException {
        PredictRequest request;
        try {
            request = READER.readValue(new CheckedBodyStream(new ByteArrayInputStream(body), Long.MAX_VALUE, 0));
        } catch (JsonProcessingException e) {
            assertRefused(new JsonProcessingExceptionMapper().toResponse(e));
            return;
        } catch (WebApplicationException e) {
            assertRefused(e.getResponse());
            return;
        }
        try {
            PredictRequest.checkShape(request, MAX_BATCH_SIZE);
            List<Map<String, JsonNode>> instances =
                    request.inputs() != null ? List.of(request.inputs()) : request.instances();
            List<Map<String, Object>> values = InputValidator.validate(INPUTS, instances);
            assertThat(values).hasSameSizeAs(instances);
            for (Map<String, Object> value : values) {
                assertThat(value.get("x")).isInstanceOfSatisfying(Double.class, x -> assertThat(x).isFinite());
                assertThat(value.get("n")).isInstanceOf(Long.class);
                assertThat(value.keySet()).isSubsetOf("x", "n", "s", "b");
            }
            // The answer echoes the id, which must still be writable as JSON.
            Object answer = request.inputs() != null
                    ? new PredictionResponse(request.id(), "m", 1, Map.of("prediction", 1.0))
                    : new BatchPredictionResponse(request.id(), "m", 1, List.of());
            assertThat(JSON.readTree(JSON.writeValueAsBytes(answer)).isObject()).isTrue();
        } catch (ApiException e) {
            assertThat(e.status()).isBetween(400, 499);
            // The error body quotes field names from the request; it must still be writable as JSON.
            assertThat(JSON.readTree(JSON.writeValueAsBytes(e.body())).get("error").isObject()).isTrue();
        }
    }

    private static void assertRefused(Response refusal) throws IOException {
        assertThat(refusal.getStatus()).isBetween(400, 499);
        assertThat(JSON.readTree(JSON.writeValueAsBytes(refusal.getEntity())).get("error").isObject()).isTrue();
    }
}
