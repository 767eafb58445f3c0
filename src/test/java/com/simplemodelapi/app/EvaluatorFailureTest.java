package com.simplemodelapi.app;

import com.example.rules.FailingAlgorithm;
import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.testing.LogCapture;
import com.simplemodelapi.testing.TestApp;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A model whose evaluator throws, or returns what cannot be written as JSON: a 500 in the error shape that hides the
 * cause, logged with the request id and counted on the model's error meter.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class EvaluatorFailureTest {
    private static final String DB = TestPostgres.newMigratedDatabase();
    private static final DropwizardAppExtension<SimpleModelApiConfiguration> APP =
            TestApp.extension(DB, Path.of("target/audit/evaluator-failure.log"));
    private static String key;

    @BeforeAll
    static void setUp() {
        TestData data = new TestData(DB);
        key = data.user("alice");
        data.model("""
                {"name": "buggy", "algorithm": "failing", "inputs": [{"name": "x", "type": "number"}], "parameters": {}}""");
        data.grant("alice", "buggy");
        data.model("""
                {"name": "garbled", "algorithm": "failing", "inputs": [{"name": "x", "type": "number"}],
                 "parameters": {"bug": "unwritable-output"}}""");
        data.grant("alice", "garbled");
        data.model("""
                {"name": "exploding", "algorithm": "failing", "inputs": [{"name": "x", "type": "number"}],
                 "parameters": {"bug": "throwing-output"}}""");
        data.grant("alice", "exploding");
        APP.client().target("http://localhost:" + APP.getAdminPort() + "/tasks/refresh").request().post(null).close();
    }

    @Test
    void aFailingEvaluatorGivesA500ThatRevealsNothing() throws Exception {
        Response response = APP.client().target("http://localhost:" + APP.getLocalPort() + "/v1/models/buggy/predict")
                .request().header("Authorization", "Bearer " + key)
                .post(Entity.json("{\"inputs\": {\"x\": 1}}"));
        String body = response.readEntity(String.class);

        assertThat(response.getStatus()).isEqualTo(500);
        JsonNode json = TestData.JSON.readTree(body);
        assertThat(json.at("/error/code").asText()).isEqualTo("internal_error");
        assertThat(json.get("request_id").asText()).isEqualTo(response.getHeaderString("X-Request-Id"));
        assertThat(body).doesNotContain(FailingAlgorithm.SECRET_DETAIL).doesNotContain("IllegalStateException");

        JsonNode metrics = TestData.JSON.readTree(APP.client()
                .target("http://localhost:" + APP.getAdminPort() + "/metrics").request().get(String.class));
        assertThat(metrics.at("/meters/models.buggy.errors/count").asLong()).isEqualTo(1);
        assertThat(metrics.at("/timers/models.buggy.predictions/count").asLong()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbled", "exploding"})
    void anOutputThatCannotBeWrittenAsJsonIsA500ThatIsLoggedNotABadRequest(String model) throws Exception {
        try (LogCapture logs = LogCapture.start()) {
            Response response = APP.client().target("http://localhost:" + APP.getLocalPort()
                            + "/v1/models/" + model + "/predict")
                    .request().header("Authorization", "Bearer " + key)
                    .post(Entity.json("{\"inputs\": {\"x\": 1}}"));
            String body = response.readEntity(String.class);

            assertThat(response.getStatus()).as(body).isEqualTo(500);
            assertThat(TestData.JSON.readTree(body).at("/error/code").asText()).isEqualTo("internal_error");
            assertThat(body).doesNotContain(FailingAlgorithm.SECRET_DETAIL);
            String requestId = response.getHeaderString("X-Request-Id");
            assertThat(logs.all()).anySatisfy(line -> {
                assertThat(line.level()).isEqualTo(Level.ERROR);
                assertThat(line.message()).contains(requestId);
                assertThat(line.hasStackTrace()).isTrue();
            });
        }
        JsonNode metrics = TestData.JSON.readTree(APP.client()
                .target("http://localhost:" + APP.getAdminPort() + "/metrics").request().get(String.class));
        assertThat(metrics.at("/meters/models." + model + ".errors/count").asLong()).isEqualTo(1);
    }
}
