package com.simplemodelapi.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.simplemodelapi.testing.AuditLines;
import com.simplemodelapi.testing.ServerProcess;
import com.simplemodelapi.testing.TestApp;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static com.simplemodelapi.testing.Poll.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operators route the audit log with ordinary Dropwizard appenders under the {@code audit} logger, next to the
 * audit-file one: here standard output in Dropwizard's JSON layout, as a container's log collector reads it, and a
 * second file with the lines as they are. Both get every record, with the same fields. The real server process.
 */
class AuditRoutingTest {
    @TempDir
    Path temp;

    @Test
    void standardOutputInTheJsonLayoutAndASecondFileGetTheSameRecordsAsTheAuditFile() throws Exception {
        Path auditFile = temp.resolve("audit.log");
        Path secondFile = temp.resolve("second.log");
        Path config = configRoutingTheAuditTo(secondFile);
        String databaseUrl = TestPostgres.newMigratedDatabase();
        String key = new TestData(databaseUrl).user("alice");
        Map<String, String> env = Map.of("DATABASE_URL", databaseUrl, "DATABASE_USER", TestPostgres.USER,
                "AUDIT_LOG", auditFile.toString());

        String stdout;
        try (ServerProcess server = ServerProcess.start(config, env)) {
            HttpClient http = HttpClient.newHttpClient();
            for (String path : List.of("/v1/me", "/v1/models/nothing-here", "/no/such/route")) {
                http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
                        .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.discarding());
            }
            http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/v1/me")).build(),
                    HttpResponse.BodyHandlers.discarding());
            server.terminate();
            server.awaitExit(PATIENCE);
            stdout = server.stdout();
        }

        List<JsonNode> audited = AuditLines.read(auditFile);
        assertThat(audited).hasSize(4);
        assertThat(Files.readAllLines(secondFile)).as("the second file, line for line")
                .containsExactlyElementsOf(Files.readAllLines(auditFile));
        Map<String, JsonNode> onStdout = jsonLinesWithARequestId(stdout);
        assertThat(onStdout).as("standard output: " + stdout).hasSize(4);
        for (JsonNode line : audited) {
            JsonNode printed = onStdout.get(line.get("request_id").asText());
            assertThat(printed).as("the line on standard output for " + line).isNotNull();
            assertThat(textFields(printed)).as("the fields on standard output").isEqualTo(textFields(line));
        }
    }

    /** config.yml, with two more appenders on the audit logger: standard output as JSON, and a second file. */
    private Path configRoutingTheAuditTo(Path secondFile) throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonNode config = yaml.readTree(Path.of(TestApp.CONFIG).toFile());
        ArrayNode appenders = (ArrayNode) config.at("/logging/loggers/audit/appenders");
        appenders.add(yaml.readTree("""
                type: console
                target: stdout
                discardingThreshold: 0
                layout:
                  type: json
                  flattenMdc: true
                  includes: [mdc]
                """));
        ObjectNode file = (ObjectNode) yaml.readTree("""
                type: file
                archive: false
                discardingThreshold: 0
                logFormat: "%msg%n"
                """);
        file.put("currentLogFilename", secondFile.toString());
        appenders.add(file);
        Path written = temp.resolve("config.yml");
        yaml.writeValue(written.toFile(), config);
        return written;
    }

    private static Map<String, JsonNode> jsonLinesWithARequestId(String output) throws Exception {
        Map<String, JsonNode> byRequestId = new HashMap<>();
        for (String line : output.lines().filter(line -> line.startsWith("{")).toList()) {
            JsonNode json = TestData.JSON.readTree(line);
            if (json.has("request_id")) {
                byRequestId.put(json.get("request_id").asText(), json);
            }
        }
        return byRequestId;
    }

    /** The fields that have a value, as text: the JSON layout writes the MDC's text, the audit file typed JSON. */
    private static Map<String, String> textFields(JsonNode line) {
        Map<String, String> fields = new TreeMap<>();
        line.fields().forEachRemaining(field -> {
            if (!field.getValue().isNull()) {
                fields.put(field.getKey(), field.getValue().asText());
            }
        });
        return fields;
    }
}
