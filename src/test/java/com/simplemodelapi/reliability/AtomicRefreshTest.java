package com.simplemodelapi.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.app.SimpleModelApiConfiguration;
import com.simplemodelapi.reliability.Http.Reply;
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

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static com.simplemodelapi.testing.Poll.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests from many threads while the catalog is refreshed again and again under them, with new model versions,
 * grants that come and go, and keys that are added and revoked. Version N of "counter" predicts N, and "flicker" is
 * granted exactly while counter's latest version is even, so a model list that mixes two catalogs shows. A new version
 * of counter and its flicker grant are committed together, since besides the refreshes this test asks for, the
 * server refreshes whenever it hears of an operator's change (a key added or revoked here).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class AtomicRefreshTest {
    private static final String DATABASE = TestPostgres.newDatabase();
    // Only the refreshes this test asks for, and those the changes it makes notify.
    static final DropwizardAppExtension<SimpleModelApiConfiguration> APP = TestApp.extension(DATABASE,
            Path.of("target", "audit", "AtomicRefreshTest-" + UUID.randomUUID() + ".log").toAbsolutePath(),
            ConfigOverride.config("refreshInterval", "1h"));

    private static final int READERS = 8;
    private static final int ROUNDS = 12;
    private static final String ZEROES = "{\"inputs\": {\"x1\": 0, \"x2\": 0}}";
    /** The model "flicker" predicts this; it is granted and revoked over and over. */
    private static final double FLICKER = 100.0;

    private static final Http http = new Http();
    private static TestData data;
    private static String readerKey;

    /** Every version up to this one has been stored (it may not be served yet). */
    private final AtomicInteger storedUpTo = new AtomicInteger();
    /** A refresh that saw every version up to this one has completed. */
    private final AtomicInteger servedAtLeast = new AtomicInteger();
    private volatile RevokedKey lastRevoked;
    private final Queue<String> problems = new ConcurrentLinkedQueue<>();
    private final AtomicLong readerRequests = new AtomicLong();

    /** A key, and when the refresh that saw its revocation returned. */
    private record RevokedKey(String key, long refreshedAtNanos) {
    }

    @BeforeAll
    static void setUp() {
        data = new TestData(DATABASE);
        readerKey = data.user("reader");
        data.user("victim");
        data.linearModel("counter", 1);
        data.linearModel("flicker", FLICKER);
        data.grant("reader", "counter");
        refresh();
    }

    @Test
    void requestsNeverSeeATornCatalogAndARevokedKeyFailsAsSoonAsItsRefreshReturns() throws Exception {
        storedUpTo.set(1);
        servedAtLeast.set(1);
        ExecutorService pool = Executors.newFixedThreadPool(READERS);
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Future<?>> readers = new ArrayList<>();
        for (int i = 0; i < READERS; i++) {
            readers.add(pool.submit(() -> {
                while (writing.get()) {
                    readOnce();
                }
            }));
        }

        try {
            boolean flickerGranted = false;
            for (int round = 0; round < ROUNDS; round++) {
                int next = storedUpTo.get() + 1;
                storedUpTo.set(next);
                flickerGranted = !flickerGranted;
                storeCounterAndFlipFlicker(next, flickerGranted);
                String key = data.access().addKey("victim").key();
                refreshWhileReadersRead();
                servedAtLeast.set(next);
                expectStatus("GET /v1/me with a key added before the refresh", get("/v1/me", key), 200);

                data.access().revokeKey(key);
                refreshWhileReadersRead();
                lastRevoked = new RevokedKey(key, System.nanoTime());
                expectStatus("GET /v1/me with a key revoked before the refresh", get("/v1/me", key), 401);
            }
        } finally {
            writing.set(false);
        }
        for (Future<?> reader : readers) {
            reader.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertThat(problems).as("torn or failed responses").isEmpty();
    }

    /**
     * Stores the next version of counter and grants or removes flicker in one transaction, behind the CLI's back, so
     * that no refresh can see one without the other and none is notified.
     */
    private static void storeCounterAndFlipFlicker(int version, boolean grantFlicker) {
        data.jdbi().useTransaction(handle -> {
            handle.createUpdate("INSERT INTO model_versions (name, version, description, algorithm, inputs, parameters)"
                            + " SELECT name, :version, description, algorithm, inputs,"
                            + " CAST(:parameters AS json) FROM model_versions WHERE name = 'counter' AND version = 1")
                    .bind("version", version)
                    .bind("parameters", "{\"coefficients\": {\"x1\": 2.0, \"x2\": -3.0}, \"intercept\": " + version
                            + "}")
                    .execute();
            handle.createUpdate(grantFlicker
                            ? "INSERT INTO grants (user_id, model_name)"
                            + " SELECT id, 'flicker' FROM users WHERE name = 'reader'"
                            : "DELETE FROM grants WHERE model_name = 'flicker'"
                            + " AND user_id = (SELECT id FROM users WHERE name = 'reader')")
                    .execute();
        });
    }

    /** A refresh once the readers have sent a request each since the last one, however slow the machine. */
    private void refreshWhileReadersRead() {
        long before = readerRequests.get();
        Poll.until(PATIENCE, readerRequests::get, sent -> sent >= before + READERS,
                "the readers sending " + READERS + " requests after " + before);
        refresh();
    }

    private void readOnce() {
        readerRequests.incrementAndGet();
        try {
            readAndCheckOnce();
        } catch (RuntimeException e) {
            problems.add("a request failed: " + e);
        }
    }

    private void readAndCheckOnce() {
        int servedBefore = servedAtLeast.get();
        switch (ThreadLocalRandom.current().nextInt(5)) {
            case 0 -> {
                Reply reply = post("/v1/models/counter/predict", ZEROES);
                if (expectStatus("predict latest", reply, 200)) {
                    int version = reply.json().get("version").asInt();
                    expectVersionBetween("predict latest", version, servedBefore, storedUpTo.get());
                    expectPrediction("predict latest", reply.json(), version);
                }
            }
            case 1 -> {
                int version = ThreadLocalRandom.current().nextInt(1, servedBefore + 1);
                Reply reply = post("/v1/models/counter/versions/" + version + "/predict", ZEROES);
                if (expectStatus("predict version " + version, reply, 200)) {
                    expectPrediction("predict version " + version, reply.json(), version);
                    if (reply.json().get("version").asInt() != version) {
                        problems.add("asked for version " + version + ", got " + reply.body());
                    }
                }
            }
            case 2 -> {
                Reply reply = get("/v1/models", readerKey);
                if (expectStatus("list models", reply, 200)) {
                    int counter = 0;
                    boolean flicker = false;
                    for (JsonNode model : reply.json().get("models")) {
                        String name = model.get("name").asText();
                        int version = model.get("version").asInt();
                        if (name.equals("counter")) {
                            counter = version;
                            expectVersionBetween("list models", version, servedBefore, storedUpTo.get());
                        } else if (name.equals("flicker") && version == 1) {
                            flicker = true;
                        } else {
                            problems.add("list models: unexpected " + model);
                        }
                    }
                    // One catalog grants flicker exactly when it serves an even version of counter.
                    if (flicker != (counter % 2 == 0)) {
                        problems.add("list models: counter version " + counter + " with flicker "
                                + (flicker ? "granted" : "not granted") + ", from two catalogs: " + reply.body());
                    }
                }
            }
            case 3 -> {
                Reply reply = post("/v1/models/flicker/predict", ZEROES);
                if (reply.status() == 200) {
                    expectPrediction("predict flicker", reply.json(), FLICKER);
                } else {
                    expectStatus("predict flicker (granted or not)", reply, 404);
                }
            }
            default -> {
                RevokedKey revoked = lastRevoked;
                if (revoked != null && System.nanoTime() > revoked.refreshedAtNanos()) {
                    expectStatus("a key whose revocation was refreshed", get("/v1/me", revoked.key()), 401);
                }
            }
        }
    }

    private boolean expectStatus(String what, Reply reply, int status) {
        if (reply.status() != status) {
            problems.add(what + ": expected " + status + ", got " + reply.status() + " " + reply.body());
            return false;
        }
        return true;
    }

    private void expectVersionBetween(String what, int version, int least, int most) {
        if (version < least || version > most) {
            problems.add(what + ": version " + version + " outside [" + least + ", " + most + "]");
        }
    }

    private void expectPrediction(String what, JsonNode body, double expected) {
        double prediction = body.get("outputs").get("prediction").asDouble();
        if (prediction != expected) {
            problems.add(what + ": version " + body.get("version") + " predicted " + prediction
                    + " where " + expected + " was due");
        }
    }

    private static Reply post(String path, String json) {
        return http.post("http://localhost:" + APP.getLocalPort() + path, readerKey, json);
    }

    private static Reply get(String path, String key) {
        return http.get("http://localhost:" + APP.getLocalPort() + path, key);
    }

    private static void refresh() {
        Reply reply = http.post("http://localhost:" + APP.getAdminPort() + "/tasks/refresh");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    }
}
