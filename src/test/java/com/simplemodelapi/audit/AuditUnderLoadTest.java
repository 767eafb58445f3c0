package com.simplemodelapi.audit;

import com.example.rules.SlowAlgorithm;
import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.app.SimpleModelApiConfiguration;
import com.simplemodelapi.testing.AuditLines;
import com.simplemodelapi.testing.Poll;
import com.simplemodelapi.testing.ServerProcess;
import com.simplemodelapi.testing.TestApp;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static com.simplemodelapi.testing.Poll.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;

/** Under concurrent load of every kind of request, and across a SIGTERM, the audit log holds one line per answer. */
class AuditUnderLoadTest {
    private static final int THREADS = 8;

    @TempDir
    Path temp;

    /** One kind of request and the status it must get. */
    private record Kind(String path, boolean withKey, String body, int status) {
    }

    private List<Kind> kinds() {
        String ok = "{\"inputs\": {\"x1\": 1.0, \"x2\": 2.0}}";
        return List.of(
                new Kind("/v1/models/m/predict", true, ok, 200),
                new Kind("/v1/models/m/predict", false, ok, 401),
                new Kind("/v1/models/nothing-here/predict", true, ok, 404),
                new Kind("/v1/models/m/predict", true, "{\"inputs\": {\"pad\": \"" + "x".repeat(4096) + "\"}}", 413),
                new Kind("/v1/models/m/predict", true, "{\"inputs\": {\"x1\": \"one\", \"x2\": 2.0}}", 422));
    }

    @Test
    void requestsOfEveryKindFromManyThreadsLeaveExactlyOneLineEach() throws Exception {
        Path auditFile = temp.resolve("audit.log");
        String databaseUrl = TestPostgres.newDatabase();
        DropwizardTestSupport<SimpleModelApiConfiguration> app = TestApp.support(databaseUrl, auditFile,
                ConfigOverride.config("maxRequestBytes", "2KiB"));
        app.before();
        String key;
        List<String> answered = Collections.synchronizedList(new ArrayList<>());
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        try {
            key = seed(databaseUrl);
            refresh(app.getAdminPort());
            List<Kind> kinds = kinds();
            ExecutorService threads = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                done.add(threads.submit(() -> {
                    HttpClient http = HttpClient.newHttpClient();
                    for (int i = 0; i < 250; i++) {
                        Kind kind = kinds.get((thread + i) % kinds.size());
                        HttpResponse<String> response = http.send(request(app.getLocalPort(), kind, key),
                                HttpResponse.BodyHandlers.ofString());
                        assertThat(response.statusCode()).as(kind + ": " + response.body()).isEqualTo(kind.status());
                        answered.add(response.headers().firstValue("X-Request-Id").orElseThrow());
                        statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            }
            threads.shutdown();
        } finally {
            app.after();
        }

        List<JsonNode> lines = AuditLines.read(auditFile);
        assertThat(lines).hasSize(THREADS * 250);
        assertThat(lines.stream().map(line -> line.get("request_id").asText()).toList())
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(answered);
        assertThat(lines.stream().collect(Collectors.groupingBy(line -> line.get("status").asInt(), Collectors.counting())))
                .isEqualTo(statuses.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                        e -> (long) e.getValue().get())));
        assertThat(statuses.keySet()).containsExactlyInAnyOrder(200, 401, 404, 413, 422);
    }

    @Test
    void aSigtermUnderLoadFinishesWhatIsInFlightDrainsTheQueueAndExits() throws Exception {
        Path auditFile = temp.resolve("audit.log");
        String databaseUrl = TestPostgres.newDatabase();
        Map<String, String> env = Map.of("DATABASE_URL", databaseUrl, "DATABASE_USER", TestPostgres.USER,
                "AUDIT_LOG", auditFile.toString(), "MAX_REQUEST_BYTES", "2KiB", "SHUTDOWN_GRACE_PERIOD", "20s",
                // A disk flush after every write slows the writer, so lines are still queued when the signal comes.
                "AUDIT_FORCE_INTERVAL", "0s");
        List<String> answered = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger withoutId = new AtomicInteger();
        AtomicInteger broken = new AtomicInteger();
        int exitCode;
        try (ServerProcess server = ServerProcess.start(env)) {
            String key = seed(databaseUrl);
            refresh(server.adminPort());
            List<Kind> kinds = kinds();
            AtomicBoolean refused = new AtomicBoolean();
            ExecutorService threads = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                done.add(threads.submit(() -> {
                    HttpClient http = HttpClient.newHttpClient();
                    for (int i = 0; !refused.get(); i++) {
                        Kind kind = kinds.get((thread + i) % kinds.size());
                        try {
                            HttpResponse<String> response = http.send(request(server.port(), kind, key),
                                    HttpResponse.BodyHandlers.ofString());
                            response.headers().firstValue("X-Request-Id").ifPresentOrElse(answered::add,
                                    withoutId::incrementAndGet);
                        } catch (ConnectException e) {
                            // The server has closed its port: from here on nothing reaches it.
                            refused.set(true);
                        } catch (IOException e) {
                            // The connection broke: the request may or may not have been answered (a 413 is sent
                            // before the body is read, and the close can cut the client's write).
                            broken.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            Poll.until(PATIENCE, answered::size, n -> n >= 500, "500 answers under load before the SIGTERM");
            server.terminate();
            exitCode = server.awaitExit(PATIENCE);
            for (Future<?> f : done) {
                f.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            }
            threads.shutdown();
            assertThat(server.output()).doesNotContain("Exception").doesNotContain("\tat ")
                    .as("the server's stop wrote out the audit logger's queues, which Dropwizard's does not")
                    .containsPattern("The audit log is written out and closed: \\d+ lines written since the start,"
                            + " 0 lost");
        }

        // 143 = killed by SIGTERM after the shutdown hooks ran: the JVM's way of saying it stopped on the signal.
        assertThat(exitCode).isEqualTo(143);
        assertThat(withoutId.get()).as("answers that bypassed the application").isZero();
        List<JsonNode> lines = AuditLines.read(auditFile);
        List<String> logged = lines.stream().map(line -> line.get("request_id").asText()).toList();
        assertThat(logged).doesNotHaveDuplicates().containsAll(answered);
        // Any other line belongs to a request whose answer the client never read.
        assertThat(lines.stream().filter(line -> !answered.contains(line.get("request_id").asText())).toList())
                .hasSizeLessThanOrEqualTo(broken.get());
    }

    @Test
    void aRequestInFlightAtSigtermIsAnsweredAndAuditedBeforeTheProcessExits() throws Exception {
        Path auditFile = temp.resolve("audit.log");
        Path signals = Files.createDirectory(temp.resolve("slow-signals"));
        String databaseUrl = TestPostgres.newMigratedDatabase();
        TestData data = new TestData(databaseUrl);
        String key = data.user("alice");
        data.model("""
                {"name": "slow", "description": "answers when the test lets it", "algorithm": "slow",
                 "inputs": [{"name": "x", "type": "number"}], "parameters": {"signals": %s}}"""
                .formatted(TestData.JSON.writeValueAsString(signals.toString())));
        data.grant("alice", "slow");
        Map<String, String> env = Map.of("DATABASE_URL", databaseUrl, "DATABASE_USER", TestPostgres.USER,
                "AUDIT_LOG", auditFile.toString(), "SHUTDOWN_GRACE_PERIOD", "5m");
        try (ServerProcess server = ServerProcess.start(env)) {
            CompletableFuture<HttpResponse<String>> inFlight = HttpClient.newHttpClient().sendAsync(
                    request(server.port(), new Kind("/v1/models/slow/predict", true, "{\"inputs\": {\"x\": 1}}", 200), key),
                    HttpResponse.BodyHandlers.ofString());
            Poll.until(PATIENCE, () -> Files.exists(signals.resolve(SlowAlgorithm.STARTED)) ? "started" : inFlight,
                    "started"::equals, "the slow prediction under way in the server");
            server.terminate();
            // Let the prediction finish only once the server is surely stopping: its port refuses new connections.
            Poll.until(PATIENCE, () -> acceptsConnections(server.port()), accepting -> !accepting,
                    "the application port closed after the SIGTERM");
            assertThat(inFlight).as("the prediction still in flight as the server stops").isNotDone();
            Files.createFile(signals.resolve(SlowAlgorithm.RELEASE));

            HttpResponse<String> answer = inFlight.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(TestData.JSON.readTree(answer.body()).at("/outputs/released").asBoolean()).isTrue();
            assertThat(server.awaitExit(PATIENCE)).isEqualTo(143);

            List<JsonNode> lines = AuditLines.read(auditFile);
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0).get("request_id").asText())
                    .isEqualTo(answer.headers().firstValue("X-Request-Id").orElseThrow());
            assertThat(lines.get(0).get("status").asInt()).isEqualTo(200);
        }
    }

    private static boolean acceptsConnections(int port) {
        try (Socket ignored = new Socket("localhost", port)) {
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private static String seed(String databaseUrl) {
        TestData data = new TestData(databaseUrl);
        String key = data.user("alice");
        data.linearModel("m", 1.0);
        data.grant("alice", "m");
        return key;
    }

    private static void refresh(int adminPort) throws IOException, InterruptedException {
        HttpResponse<String> refresh = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + adminPort + "/tasks/refresh"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refresh.statusCode()).isEqualTo(200);
    }

    private static HttpRequest request(int port, Kind kind, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + kind.path()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(kind.body()));
        if (kind.withKey()) {
            request.header("Authorization", "Bearer " + key);
        }
        return request.build();
    }
}
