package com.simplemodelapi.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.testing.AuditLines;
import com.simplemodelapi.testing.Poll;
import com.simplemodelapi.testing.TestApp;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sends every request of the hostile corpus ({@code src/test/resources/hostile/requests.jsonl}) to the real
 * application and checks that each gets exactly its expected 4xx in the error shape, with nothing of the server's
 * insides in the body; then that the server is still healthy, still predicts, and kept none of it in memory.
 *
 * <p>Requests go out over a raw socket, byte for byte as the corpus says: an HTTP client library would refuse to send
 * half of them (bad header bytes, wrong Content-Length, oversized headers) or would quietly repair them.
 *
 * <p>A corpus entry: {@code name}, then either {@code method}, {@code path}, {@code headers} (name/value pairs,
 * {@code {KEY}} stands for a valid API key), an optional {@code body} and {@code framing} ({@code length}, the default;
 * {@code chunked}; or {@code none}, no framing header at all), or {@code raw}, the whole request as text
 * ({@code {HOST}} and {@code {KEY}} filled in); and the expected {@code status} and {@code code} (none on /v2, whose
 * error shape has no code: there the body must be the protocol's {@code {"error": "..."}}). A body is
 * {@code {"text": ...}}, {@code {"base64": ...}} for bytes that are not UTF-8, or {@code {"parts": [...]}}, strings
 * and {@code {"repeat": s, "times": n}} (with {@code "numbered": true}, {@code {i}} in s counts up), so that 10 MB
 * bodies are described, not committed; {@code "gzip": true} compresses the parts.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputTest {
    private static final String DATABASE = TestPostgres.newMigratedDatabase();
    private static final Path AUDIT_LOG =
            Path.of("target", "audit", "HostileInputTest-" + UUID.randomUUID() + ".log").toAbsolutePath();
    static final DropwizardAppExtension<SimpleModelApiConfiguration> APP = TestApp.extension(DATABASE, AUDIT_LOG,
            ConfigOverride.config("refreshInterval", "1h"));
    /** The request id of every answer from the application port, to find each in the audit log. */
    private static final List<String> ANSWERED = Collections.synchronizedList(new ArrayList<>());

    private static final String CORPUS = "/hostile/requests.jsonl";
    private static final List<String> LEAKS = List.of("Exception", "\tat ", "org.", "java.", "SELECT", "FROM ", "psql");
    private static final String GOOD_REQUEST = "{\"inputs\": {\"x1\": 3, \"x2\": 1}}";
    private static final int TIMEOUT_MILLIS = 30_000;
    /**
     * How much more heap may be in use, after a full GC, once the whole corpus has been answered. Nothing of a request
     * should outlive it; what may legitimately stay is small (metrics, pooled I/O buffers, lazily built Jersey and
     * Jackson caches, the error log). The bound sits under the smallest oversized body the corpus sends (10 MiB) and
     * far under the million-instance batch parsed into objects, so keeping any one of them fails the test.
     */
    private static final long HEAP_GROWTH_BOUND = 8L << 20;

    private static String key;
    private static long heapBefore;

    record Reply(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    @BeforeAll
    static void setUp() throws IOException {
        TestData data = new TestData(DATABASE);
        key = data.user("mallory");
        data.linearModel("linear", 1.0);
        data.model("""
                {"name": "counts", "description": "integer input", "algorithm": "linear-regression",
                 "inputs": [{"name": "n", "type": "integer"}, {"name": "x", "type": "number"}],
                 "parameters": {"coefficients": {"n": 1.5, "x": 0.5}, "intercept": 0.25}}""");
        data.grant("mallory", "linear");
        data.grant("mallory", "counts");
        Reply refresh = send(adminRequest("POST", "/tasks/refresh"));
        assertThat(refresh.status()).isEqualTo(200);
        // Warm up the request path, so the baseline already holds what every first request builds.
        for (int i = 0; i < 20; i++) {
            assertGoodPrediction();
            send(predictRequest("{".getBytes(StandardCharsets.UTF_8)));
        }
        heapBefore = usedHeapAfterGc();
    }

    @TestFactory
    @Order(1)
    Stream<DynamicTest> everyHostileRequestGetsItsExpected4xxInTheErrorShape() throws IOException {
        List<JsonNode> cases = corpus();
        assertThat(cases).as("corpus size").hasSizeGreaterThanOrEqualTo(200);
        assertThat(cases.stream().map(c -> c.get("name").asText()).distinct()).hasSameSizeAs(cases);
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> check(c)));
    }

    @Test
    @Order(2)
    void afterTheCorpusTheServerIsHealthyStillPredictsAndKeptNothing() throws IOException {
        Reply health = send(adminRequest("GET", "/healthcheck"));
        JsonNode checks = TestData.JSON.readTree(health.body());
        assertThat(health.status()).as(health.text()).isEqualTo(200);
        assertThat(checks.get("postgres").get("healthy").asBoolean()).isTrue();
        assertThat(checks.get("models").get("healthy").asBoolean()).isTrue();

        assertGoodPrediction();

        long growth = usedHeapAfterGc() - heapBefore;
        assertThat(growth).as("heap in use after a full GC grew by %d bytes over the corpus", growth)
                .isLessThan(HEAP_GROWTH_BOUND);
    }

    /** A 5xx, so not in the corpus of 4xx, yet still in the error shape: Jetty does not speak HTTP/0.9. */
    @Test
    @Order(3)
    void aRequestInHttp09Gets505InTheErrorShape() throws IOException {
        Reply reply = send(new Outgoing(APP.getLocalPort(),
                "GET /v1/me\r\n\r\n".getBytes(StandardCharsets.US_ASCII), null, false));
        assertThat(reply.status()).as(reply.text()).isEqualTo(505);
        assertErrorShape(reply, "http_version_not_supported", reply.text());
    }

    /** Compression is accepted, which is why the corpus holds gzip bombs: inflated, they meet the size limit. */
    @Test
    @Order(3)
    void aGzipBodyWithinTheLimitIsServed() throws IOException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(compressed)) {
            gzip.write(GOOD_REQUEST.getBytes(StandardCharsets.UTF_8));
        }
        Reply reply = send(request("POST", "/v1/models/linear/predict", List.of(
                List.of("Authorization", "Bearer " + key), List.of("Content-Type", "application/json"),
                List.of("Content-Encoding", "gzip")), BodySpec.of(compressed.toByteArray()), "length"));
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        assertThat(TestData.JSON.readTree(reply.body()).get("outputs").get("prediction").asDouble()).isEqualTo(4.0);
    }

    /** Jetty's own refusals (bad URIs, headers too large) never reach the servlet filters, yet they are audited too. */
    @Test
    @Order(4)
    void everyAnswerFromTheApplicationPortIsInTheAuditLogOnce() throws Exception {
        List<String> answered = List.copyOf(ANSWERED);
        assertThat(answered).doesNotContainNull().hasSizeGreaterThan(200);
        List<String> logged = Poll.until(Poll.PATIENCE, () -> AuditLines.requestIds(AUDIT_LOG),
                ids -> ids.size() >= answered.size(), "one audit line per answer");
        assertThat(logged).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(answered);
    }

    private static void check(JsonNode c) throws IOException {
        int expected = c.get("status").asInt();
        Reply reply = send(c);
        String body = reply.text();
        String what = c.get("name").asText() + " -> " + reply.status() + " " + body;
        assertThat(reply.status()).as(what).isEqualTo(expected).isBetween(400, 499);
        if (c.has("path") && c.get("path").asText().startsWith("/v2/")) {
            assertOpenInferenceErrorShape(reply, what);
        } else {
            assertErrorShape(reply, c.get("code").asText(), what);
        }
    }

    /** On /v2 the Open Inference Protocol's shape: {"error": "<message>"} alone, the request id in its header. */
    private static void assertOpenInferenceErrorShape(Reply reply, String what) throws IOException {
        String body = reply.text();
        assertThat(reply.headers().get("content-type")).as(what).startsWith("application/json");
        JsonNode json = TestData.JSON.readTree(body);
        assertThat(names(json)).as(what).containsExactly("error");
        assertThat(json.get("error").isTextual()).as(what).isTrue();
        assertThat(json.get("error").asText()).as(what).isNotBlank();
        assertThat(reply.headers().get("x-request-id")).as(what).isNotBlank();
        assertNoLeaks(body, what);
    }

    private static void assertErrorShape(Reply reply, String code, String what) throws IOException {
        String body = reply.text();
        assertThat(reply.headers().get("content-type")).as(what).startsWith("application/json");
        JsonNode json = TestData.JSON.readTree(body);
        assertThat(json.isObject()).as(what).isTrue();
        assertThat(names(json)).as(what).containsExactlyInAnyOrder("error", "request_id");
        JsonNode error = json.get("error");
        assertThat(names(error)).as(what).containsExactlyInAnyOrder("code", "message", "details");
        assertThat(error.get("code").asText()).as(what).isEqualTo(code);
        assertThat(error.get("message").asText()).as(what).isNotBlank();
        assertThat(error.get("details").isArray()).as(what).isTrue();
        assertThat(json.get("request_id").asText()).as(what).isNotBlank()
                .isEqualTo(reply.headers().get("x-request-id"));
        assertNoLeaks(body, what);
    }

    private static void assertNoLeaks(String body, String what) {
        for (String leak : LEAKS) {
            assertThat(body).as(what).doesNotContain(leak);
        }
        assertThat(body).as(what).doesNotContain(key);
    }

    private static void assertGoodPrediction() throws IOException {
        Reply reply = send(predictRequest(GOOD_REQUEST.getBytes(StandardCharsets.UTF_8)));
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        assertThat(TestData.JSON.readTree(reply.body()).get("outputs").get("prediction").asDouble()).isEqualTo(4.0);
    }

    private static long usedHeapAfterGc() {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    private static List<JsonNode> corpus() throws IOException {
        List<JsonNode> cases = new ArrayList<>();
        try (InputStream in = HostileInputTest.class.getResourceAsStream(CORPUS);
             BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.isBlank()) {
                    cases.add(TestData.JSON.readTree(line));
                }
            }
        }
        return cases;
    }

    // --- building requests ---------------------------------------------------------------------------------------

    /** A request to one of the two ports: its head, then a body (or none) streamed after it. */
    record Outgoing(int port, byte[] head, BodySpec body, boolean chunked) {
    }

    /** A body of known length, produced on demand so that 10 MB bodies are never held whole. */
    record BodySpec(long length, Supplier<InputStream> stream) {
        static BodySpec of(byte[] bytes) {
            return new BodySpec(bytes.length, () -> new ByteArrayInputStream(bytes));
        }
    }

    private static Reply send(JsonNode c) throws IOException {
        if (c.has("raw")) {
            String raw = c.get("raw").asText().replace("{HOST}", host()).replace("{KEY}", key);
            return send(new Outgoing(APP.getLocalPort(), raw.getBytes(StandardCharsets.ISO_8859_1), null, false));
        }
        List<List<String>> headers = new ArrayList<>();
        c.get("headers").forEach(pair -> headers.add(List.of(pair.get(0).asText(),
                pair.get(1).asText().replace("{KEY}", key))));
        String framing = c.has("framing") ? c.get("framing").asText() : "length";
        return send(request(c.get("method").asText(), c.get("path").asText(), headers,
                c.has("body") ? body(c.get("body")) : null, framing));
    }

    private static Outgoing predictRequest(byte[] body) {
        return request("POST", "/v1/models/linear/predict", List.of(List.of("Authorization", "Bearer " + key),
                List.of("Content-Type", "application/json")), BodySpec.of(body), "length");
    }

    private static Outgoing request(String method, String path, List<List<String>> headers, BodySpec body,
                                    String framing) {
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host()).append("\r\n");
        for (List<String> header : headers) {
            head.append(header.get(0)).append(": ").append(header.get(1)).append("\r\n");
        }
        if (framing.equals("chunked")) {
            head.append("Transfer-Encoding: chunked\r\n");
        } else if (framing.equals("length")) {
            head.append("Content-Length: ").append(body == null ? 0 : body.length()).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        return new Outgoing(APP.getLocalPort(), head.toString().getBytes(StandardCharsets.UTF_8), body,
                framing.equals("chunked"));
    }

    private static Outgoing adminRequest(String method, String path) {
        String head = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        return new Outgoing(APP.getAdminPort(), head.getBytes(StandardCharsets.US_ASCII), null, false);
    }

    private static String host() {
        return "localhost:" + APP.getLocalPort();
    }

    private static BodySpec body(JsonNode spec) {
        BodySpec plain;
        if (spec.has("text")) {
            byte[] bytes = spec.get("text").asText().getBytes(StandardCharsets.UTF_8);
            plain = BodySpec.of(bytes);
        } else if (spec.has("base64")) {
            plain = BodySpec.of(Base64.getDecoder().decode(spec.get("base64").asText()));
        } else {
            plain = parts(spec.get("parts"));
        }
        if (!spec.path("gzip").asBoolean()) {
            return plain;
        }
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (InputStream in = plain.stream().get(); OutputStream gzip = new GZIPOutputStream(compressed)) {
            in.transferTo(gzip);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return BodySpec.of(compressed.toByteArray());
    }

    private static BodySpec parts(JsonNode parts) {
        List<Repeat> pieces = new ArrayList<>();
        for (JsonNode part : parts) {
            if (part.isTextual()) {
                pieces.add(new Repeat(part.asText(), 1, false));
            } else {
                pieces.add(new Repeat(part.get("repeat").asText(), part.get("times").asInt(),
                        part.path("numbered").asBoolean()));
            }
        }
        long length = pieces.stream().mapToLong(Repeat::length).sum();
        return new BodySpec(length, () -> new SequenceInputStream(Collections.enumeration(
                pieces.stream().map(Repeat::stream).toList())));
    }

    /** A string repeated, its {@code {i}} replaced by the repetition's number when numbered. */
    private record Repeat(String text, int times, boolean numbered) {
        long length() {
            if (!numbered) {
                return (long) text.getBytes(StandardCharsets.UTF_8).length * times;
            }
            long total = 0;
            for (int i = 0; i < times; i++) {
                total += text.replace("{i}", Integer.toString(i)).getBytes(StandardCharsets.UTF_8).length;
            }
            return total;
        }

        InputStream stream() {
            return new InputStream() {
                private int done;
                private byte[] current = new byte[0];
                private int position;

                @Override
                public int read() {
                    if (!fill()) {
                        return -1;
                    }
                    return current[position++] & 0xff;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) {
                    if (length == 0) {
                        return 0;
                    }
                    if (!fill()) {
                        return -1;
                    }
                    int n = Math.min(length, current.length - position);
                    System.arraycopy(current, position, buffer, offset, n);
                    position += n;
                    return n;
                }

                private boolean fill() {
                    while (position == current.length) {
                        if (done == times) {
                            return false;
                        }
                        // Up to 64 KiB of repetitions at a time.
                        StringBuilder chunk = new StringBuilder();
                        while (done < times && chunk.length() < 65_536) {
                            chunk.append(numbered ? text.replace("{i}", Integer.toString(done)) : text);
                            done++;
                        }
                        current = chunk.toString().getBytes(StandardCharsets.UTF_8);
                        position = 0;
                    }
                    return true;
                }
            };
        }
    }

    // --- the wire ------------------------------------------------------------------------------------------------

    /**
     * Writes the request on one thread while reading the answer on this one: the server may answer (a 413, a 400)
     * and close long before a 10 MB body is sent, and the answer must be read before the connection is reset.
     */
    private static Reply send(Outgoing request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", request.port()), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            Thread writer = new Thread(() -> {
                try {
                    out.write(request.head());
                    if (request.body() != null) {
                        try (InputStream in = request.body().stream().get()) {
                            write(in, out, request.chunked());
                        }
                    }
                    out.flush();
                } catch (IOException e) {
                    // The server answered and closed before taking the whole request: the answer is what counts.
                }
            }, "hostile-writer");
            writer.setDaemon(true);
            writer.start();
            try {
                Reply reply = read(socket.getInputStream());
                if (request.port() == APP.getLocalPort()) {
                    ANSWERED.add(reply.headers().get("x-request-id"));
                }
                return reply;
            } finally {
                socket.close();
                try {
                    writer.join(TIMEOUT_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static void write(InputStream in, OutputStream out, boolean chunked) throws IOException {
        byte[] buffer = new byte[65_536];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            if (chunked) {
                out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            out.write(buffer, 0, n);
            if (chunked) {
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        }
        if (chunked) {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static Reply read(InputStream in) throws IOException {
        String statusLine = line(in);
        String[] status = statusLine.split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
            throw new IOException("Not an HTTP response: " + statusLine);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16); size > 0;
                 size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
        } else if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else {
            body.write(in.readAllBytes());
        }
        return new Reply(Integer.parseInt(status[1]), headers, body.toByteArray());
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("Connection closed mid-line: " + line.toString(StandardCharsets.ISO_8859_1));
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
