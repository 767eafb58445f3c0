package com.simplemodelapi.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.app.SimpleModelApiConfiguration;
import com.simplemodelapi.testing.TestApp;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** Every request to the application port leaves exactly one audit line, and none of them holds a secret. */
class AuditLogTest {
    private static final Set<String> FIELDS = Set.of("ts", "request_id", "server_request_id", "user", "key_id",
            "method", "path", "status", "duration_ms", "model", "version", "instances", "remote_addr", "user_agent");
    private static final String USER_AGENT = "audit-log-test/1.0";
    private static final String BAD_KEY = "sma_thisIsNotAKeyThatAnyoneWasEverGivenXXXXXXXXXX";
    private static final String SINGLE = "{\"inputs\": {\"x1\": 1.0, \"x2\": 2.0}}";

    private final HttpClient http = HttpClient.newHttpClient();
    private DropwizardTestSupport<SimpleModelApiConfiguration> app;

    @TempDir
    Path temp;

    /** One kind of request, and what its audit line must say. */
    private record Call(String method, String path, String key, String contentType, String body,
                        int status, boolean authenticated, String model, Integer version, Integer instances) {
    }

    private record Sent(Call call, HttpResponse<String> response) {
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.after();
        }
    }

    @Test
    void everyRequestIsAuditedOnceWithoutSecrets() throws Exception {
        Path auditFile = temp.resolve("audit.log");
        String databaseUrl = TestPostgres.newDatabase();
        // A small body limit makes a 413 cheap to provoke.
        app = TestApp.support(databaseUrl, auditFile, ConfigOverride.config("maxRequestBytes", "2KiB"));
        app.before();

        TestData data = new TestData(databaseUrl);
        data.user("alice"); // her first key stays unused: the line names the key that called
        String key = data.access().addKey("alice").key();
        long keyId = data.keyId(key);
        data.linearModel("m", 1.0);
        data.linearModel("m", 5.0);
        data.user("bob");
        data.linearModel("secret", 0.0);
        data.grant("alice", "m");
        data.grant("bob", "secret");
        HttpResponse<String> refresh = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + app.getAdminPort() + "/tasks/refresh"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refresh.statusCode()).isEqualTo(200);

        String predict = "/v1/models/m/predict";
        String json = "application/json";
        List<Call> kinds = List.of(
                new Call("POST", predict, key, json, SINGLE, 200, true, "m", 2, 1),
                new Call("POST", predict, key, json, batch(3), 200, true, "m", 2, 3),
                new Call("POST", "/v1/models/m/versions/1/predict", key, json, batch(2), 200, true, "m", 1, 2),
                new Call("GET", "/v1/me", key, null, null, 200, true, null, null, null),
                new Call("POST", predict, null, json, SINGLE, 401, false, null, null, null),
                new Call("POST", predict, BAD_KEY, json, SINGLE, 401, false, null, null, null),
                // An unmatched route never reaches authentication, so the key is not checked and no user is known.
                new Call("GET", "/v1/nowhere", key, null, null, 404, false, null, null, null),
                new Call("POST", "/v1/models/secret/predict", key, json, SINGLE, 404, true, "secret", null, null),
                // Likewise a media type no method consumes fails in matching, before authentication.
                new Call("POST", predict, key, "text/plain", "x1=1", 415, false, null, null, null),
                new Call("POST", predict, key, json, "{\"inputs\": {\"x1\": \"one\", \"x2\": 2.0}}",
                        422, true, "m", 2, 1),
                new Call("POST", predict, key, json, "{\"inputs\": {\"x1\": 1.0,", 400, true, null, null, null),
                new Call("POST", predict, key, json, "{\"instances\": [], \"inputs\": {}}",
                        400, true, "m", 2, null),
                // A @PreMatching filter refuses it on Content-Length, before authentication.
                new Call("POST", predict, key, json, "{\"inputs\": {\"pad\": \"" + "x".repeat(4096) + "\"}}",
                        413, false, null, null, null));

        List<Sent> sent = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            for (Call call : kinds) {
                HttpResponse<String> response = send(call);
                assertThat(response.statusCode()).as(call + " answered " + response.body()).isEqualTo(call.status());
                sent.add(new Sent(call, response));
            }
        }
        int n = sent.size();
        assertThat(n).isEqualTo(65);

        // A clean stop must flush the asynchronous audit appender.
        app.after();
        app = null;

        List<String> lines = Files.readAllLines(auditFile);
        assertThat(lines).hasSize(n);
        String whole = String.join("\n", lines);
        assertThat(whole).doesNotContain(key).doesNotContain(BAD_KEY).doesNotContainIgnoringCase("bearer");

        // Lines are matched to requests by id, not position: after the 413's Connection: close, the next request
        // comes on a new connection and may be logged before the 413's own line.
        Map<String, JsonNode> byRequestId = new HashMap<>();
        for (String text : lines) {
            JsonNode parsed = TestData.JSON.readTree(text);
            byRequestId.put(parsed.get("request_id").asText(), parsed);
        }
        assertThat(byRequestId).as("one line per request id").hasSize(n);

        for (int i = 0; i < n; i++) {
            Sent s = sent.get(i);
            Call call = s.call();
            String requestId = s.response().headers().firstValue("X-Request-Id").orElseThrow();
            JsonNode line = byRequestId.get(requestId);
            assertThat(line).as("the audit line of request %d, id %s", i, requestId).isNotNull();
            String description = "audit line of request " + i + ", " + call.method() + " " + call.path() + ": " + line;

            assertThat(fieldNames(line)).as(description).isEqualTo(new TreeSet<>(FIELDS));
            assertThat(line.get("server_request_id").asText()).as("no id was sent: " + description)
                    .isEqualTo(requestId);
            assertThat(line.get("status").asInt()).as(description).isEqualTo(s.response().statusCode());
            assertThat(line.get("method").asText()).as(description).isEqualTo(call.method());
            assertThat(line.get("path").asText()).as(description).isEqualTo(call.path());
            assertThat(Instant.parse(line.get("ts").asText())).as(description).isBefore(Instant.now());
            assertThat(line.get("duration_ms").isNumber()).as(description).isTrue();
            assertThat(line.get("duration_ms").asDouble()).as(description).isGreaterThanOrEqualTo(0.0);
            assertThat(line.get("remote_addr").asText()).as(description).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
            assertThat(line.get("user_agent").asText()).as(description).isEqualTo(USER_AGENT);

            assertThat(text(line, "user")).as(description).isEqualTo(call.authenticated() ? "alice" : null);
            assertThat(line.get("key_id").isNull() ? null : line.get("key_id").asLong())
                    .as("the id of the key that called: " + description)
                    .isEqualTo(call.authenticated() ? keyId : null);
            assertThat(text(line, "model")).as(description).isEqualTo(call.model());
            assertThat(integer(line, "version")).as(description).isEqualTo(call.version());
            assertThat(integer(line, "instances")).as(description).isEqualTo(call.instances());
        }
    }

    private HttpResponse<String> send(Call call) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + app.getLocalPort() + call.path()))
                .header("User-Agent", USER_AGENT);
        if (call.key() != null) {
            request.header("Authorization", "Bearer " + call.key());
        }
        if (call.contentType() != null) {
            request.header("Content-Type", call.contentType());
        }
        request.method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(call.body()));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String batch(int size) {
        List<String> instances = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            instances.add("{\"x1\": " + i + ", \"x2\": 0.5}");
        }
        return "{\"instances\": [" + String.join(", ", instances) + "]}";
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static String text(JsonNode line, String field) {
        JsonNode value = line.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Integer integer(JsonNode line, String field) {
        JsonNode value = line.get(field);
        return value == null || value.isNull() ? null : value.asInt();
    }
}
