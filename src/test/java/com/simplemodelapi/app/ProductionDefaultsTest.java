package com.simplemodelapi.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.testing.AuditLines;
import com.simplemodelapi.testing.TestApp;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What config.yml sets up for production: slow bodies cut off, bounded request threads, forwarded addresses, ids. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ProductionDefaultsTest {
    private static final String DB = TestPostgres.newDatabase();
    private static final Path AUDIT = Path.of("target/audit/production-defaults-" + UUID.randomUUID() + ".log");
    private static final DropwizardAppExtension<SimpleModelApiConfiguration> APP = TestApp.extension(DB, AUDIT);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static String key;

    @BeforeAll
    static void data() {
        TestData data = new TestData(DB);
        key = data.user("alice");
        data.linearModel("linear", 1.0);
        data.grant("alice", "linear");
        APP.client().target("http://localhost:" + APP.getAdminPort() + "/tasks/refresh").request().post(null).close();
    }

    @Test
    void aBodyDrippedSlowerThanTheMinimumRateIsCutOffWith408LongBeforeItEnds() throws Exception {
        byte[] body = ("{\"inputs\": {\"x1\": 1, \"x2\": 2}}" + " ".repeat(1000)).getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", APP.getLocalPort())) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("POST /v1/models/linear/predict HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + key + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            int sent = 0;
            // One byte every 100 ms: the whole body would take 100 s; the server must answer long before that.
            while (sent < body.length && in.available() == 0) {
                try {
                    out.write(body[sent]);
                    out.flush();
                } catch (IOException closedByTheServer) {
                    break;
                }
                sent++;
                Thread.sleep(100);
            }

            assertThat(sent).as("bytes sent before the server answered").isLessThan(body.length);
            String answer = readAnswer(socket);
            assertThat(answer).startsWith("HTTP/1.1 408 ").contains("\"code\":\"request_timeout\"");
        }
    }

    @Test
    void requestThreadsAreBoundedByTheCpuCount() {
        int cores = Runtime.getRuntime().availableProcessors();
        QueuedThreadPool pool = (QueuedThreadPool) APP.getEnvironment().getApplicationContext().getServer()
                .getThreadPool();

        assertThat(pool.getMaxThreads()).isEqualTo(Math.max(8, 4 * cores));
    }

    @Test
    void twoRequestsWithTheSameClientIdAreTwoAuditLinesWithDistinctServerIds() throws Exception {
        for (int i = 0; i < 2; i++) {
            assertThat(get("/v1/me", "X-Request-Id", "same-id-twice").statusCode()).isEqualTo(200);
        }

        List<JsonNode> lines = AuditLines.awaitRequestId(AUDIT, "same-id-twice", 2);
        String first = lines.get(0).get("server_request_id").asText();
        String second = lines.get(1).get("server_request_id").asText();
        assertThat(first).isNotEqualTo(second);
        assertThat(List.of(first, second)).allSatisfy(id -> assertThat(UUID.fromString(id).version()).isEqualTo(4));
    }

    @Test
    void withoutForwardedHeadersTheAuditRecordsThePeersAddressWhateverXForwardedForSays() throws Exception {
        String requestId = get("/v1/me", "X-Forwarded-For", "203.0.113.7").headers()
                .firstValue("X-Request-Id").orElseThrow();

        JsonNode line = AuditLines.awaitRequestId(AUDIT, requestId, 1).get(0);
        assertThat(line.get("remote_addr").asText()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
    }

    private static HttpResponse<String> get(String path, String header, String value)
            throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getLocalPort() + path))
                .header("Authorization", "Bearer " + key).header(header, value).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** What the server wrote back, until it closes the connection or stays silent for a while after answering. */
    private static String readAnswer(Socket socket) throws IOException {
        socket.setSoTimeout(5_000);
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = socket.getInputStream().read(buffer)) > 0; ) {
                answer.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException | java.net.SocketException quietOrReset) {
            // an answer without Connection: close stays open; what came is what there is
        }
        return answer.toString(StandardCharsets.UTF_8);
    }
}
