package com.simplemodelapi.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.cli.CliTest;
import com.simplemodelapi.testing.TestApp;
import com.simplemodelapi.testing.TestData;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The zero-configuration run: no database URL, so the app runs its own PostgreSQL under dataDir, seeds a demo user
 * and models once, and keeps its data across restarts.
 */
class DemoModeTest {
    private static final String IRIS_SETOSA = """
            {"inputs": {"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}}""";

    private final HttpClient http = HttpClient.newHttpClient();
    private DropwizardTestSupport<SimpleModelApiConfiguration> app;

    @TempDir
    Path dataDir;

    @TempDir
    Path logs;

    @AfterEach
    void stop() {
        if (app != null) {
            app.after();
        }
    }

    @Test
    void seedsDemoDataOnceAndKeepsEverythingAcrossRestarts() throws Exception {
        start();

        Path keyFile = dataDir.resolve("demo-api-key");
        assertThat(keyFile).isRegularFile();
        assertThat(Files.getPosixFilePermissions(keyFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String demoKey = Files.readString(keyFile).trim();
        assertThat(demoKey).matches("sma_[A-Za-z0-9_-]{43}");

        JsonNode me = json(get("/v1/me", demoKey), 200);
        assertThat(me.get("name").asText()).isEqualTo("demo");
        assertThat(texts(me.get("models"))).containsExactly("house-price", "iris-species", "iris-trees");

        JsonNode prediction = json(post("/v1/models/iris-species/predict", demoKey, IRIS_SETOSA), 200);
        assertThat(prediction.at("/outputs/label").asText()).isEqualTo("setosa");

        // The demo's ONNX tree ensemble: petal_length 1.4 <= 2.45 is the setosa leaf.
        JsonNode trees = json(post("/v1/models/iris-trees/predict", demoKey, IRIS_SETOSA), 200);
        assertThat(trees.at("/outputs/label").asText()).isEqualTo("setosa");
        assertThat(trees.at("/outputs/probabilities/setosa").asDouble()).isEqualTo(1.0);
        assertThat(json(get("/v1/models/iris-trees", demoKey), 200).at("/artifact/sha256").asText()).hasSize(64);

        // A CLI command while the server runs attaches to its PostgreSQL instead of starting a second one.
        Map<String, String> embedded = Map.of("DATABASE_URL", "", "DATA_DIR", dataDir.toString(),
                "AUDIT_LOG", logs.resolve("cli-audit.log").toString());
        CliTest.Run addCarol = CliTest.run(embedded, "users", "add", "--name", "carol");
        assertThat(addCarol.exitCode()).as(addCarol.toString()).isZero();
        assertThat(addCarol.stderr()).contains("Using the embedded PostgreSQL already running");
        String carolKey = addCarol.lastStdoutLine();
        assertThat(carolKey).matches("sma_[A-Za-z0-9_-]{43}");
        CliTest.Run modelsList = CliTest.run(embedded, "models", "list");
        assertThat(modelsList.exitCode()).as(modelsList.toString()).isZero();
        assertThat(modelsList.stdout().lines().map(line -> line.split(" +")[0]))
                .containsExactly("NAME", "house-price", "iris-species", "iris-trees");

        app.after();
        app = null;

        // And with no server, the command starts the embedded PostgreSQL itself.
        CliTest.Run keys = CliTest.run(embedded, "keys", "list", "--user", "carol", "--json");
        assertThat(keys.exitCode()).as(keys.toString()).isZero();
        JsonNode carolsKeys = TestData.JSON.readTree(keys.stdout());
        assertThat(carolsKeys).hasSize(1);
        assertThat(carolsKeys.get(0).get("prefix").asText()).isEqualTo(carolKey.substring(4, 12));
        assertThat(keys.stdout()).doesNotContain(carolKey);

        start();

        assertThat(Files.readString(keyFile).trim()).as("the demo key is not replaced").isEqualTo(demoKey);
        assertThat(json(get("/v1/me", demoKey), 200).get("name").asText()).isEqualTo("demo");

        JsonNode carol = json(get("/v1/me", carolKey), 200);
        assertThat(carol.get("name").asText()).isEqualTo("carol");
        assertThat(texts(carol.get("models"))).isEmpty();

        JsonNode models = json(get("/v1/models", demoKey), 200).get("models");
        assertThat(models).hasSize(3);
        assertThat(json(get("/v1/models/iris-species", demoKey), 200).get("version").asInt()).isEqualTo(1);
        assertThat(json(get("/v1/models/house-price", demoKey), 200).get("version").asInt()).isEqualTo(1);
    }

    private void start() throws Exception {
        app = TestApp.support("", logs.resolve("audit.log"), ConfigOverride.config("dataDir", dataDir.toString()));
        app.before();
    }

    private HttpResponse<String> get(String path, String key) throws IOException, InterruptedException {
        return http.send(request(path, key).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String key, String body) throws IOException, InterruptedException {
        return http.send(request(path, key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path, String key) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + app.getLocalPort() + path))
                .header("Authorization", "Bearer " + key);
    }

    private static JsonNode json(HttpResponse<String> response, int status) throws IOException {
        assertThat(response.statusCode()).as(response.uri() + " answered " + response.body()).isEqualTo(status);
        return TestData.JSON.readTree(response.body());
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
