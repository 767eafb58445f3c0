package com.simplemodelapi.algorithm.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.codahale.metrics.MetricRegistry;
import com.simplemodelapi.algorithm.Algorithms;
import com.simplemodelapi.catalog.CatalogLoader;
import com.simplemodelapi.catalog.LiveCatalog;
import com.simplemodelapi.catalog.ServedModel;
import com.simplemodelapi.spi.Evaluator;
import com.simplemodelapi.testing.OnnxModels;
import com.simplemodelapi.testing.Poll;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import io.dropwizard.util.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * One ONNX session per model version: built once, kept across refreshes, closed when its version leaves memory
 * and at shutdown, so refreshing never piles up native sessions; and never closed under a run that is using it.
 */
class OnnxSessionLifecycleTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private TestData data;
    private LiveCatalog catalog;

    @BeforeEach
    void catalogWithAnOnnxModel() {
        data = new TestData(TestPostgres.newMigratedJdbi());
        data.user("alice");
        data.model("""
                {"name": "gbm", "algorithm": "onnx",
                 "inputs": [{"name": "x0", "type": "number"}, {"name": "x1", "type": "number"}], "parameters": {}}""",
                OnnxModels.treeEnsembleRegressor());
        catalog = new LiveCatalog(new CatalogLoader(data.jdbi(), Algorithms.discover(), new MetricRegistry(),
                TestData.JSON), scheduler, Duration.hours(1), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private OnnxEvaluator onlyEvaluator() {
        ServedModel model = catalog.current().allVersions().iterator().next();
        return (OnnxEvaluator) model.evaluator();
    }

    @Test
    void manyRefreshesKeepTheOneSession() {
        catalog.refresh();
        OnnxEvaluator first = onlyEvaluator();

        for (int i = 0; i < 200; i++) {
            catalog.refresh();
        }

        assertThat(onlyEvaluator()).isSameAs(first);
        assertThat(first.isClosed()).isFalse();
    }

    @Test
    void aVersionThatLeavesMemoryHasItsSessionClosed() {
        catalog.refresh();
        OnnxEvaluator removed = onlyEvaluator();

        data.jdbi().useHandle(handle -> handle.execute("DELETE FROM model_versions WHERE name = 'gbm'"));
        catalog.refresh();

        assertThat(catalog.current().allVersions()).isEmpty();
        assertThat(removed.isClosed()).isTrue();
    }

    @Test
    void closingWaitsForARunInProgressAndLaterRunsFailCleanly() throws Exception {
        CountDownLatch runStarted = new CountDownLatch(1);
        CountDownLatch letRunGoOn = new CountDownLatch(1);
        InputFeed matrix = new MatrixInputFeed("float_input", OnnxJavaType.FLOAT, new String[] {"a", "b", "c"});
        // The run's first step, inside the evaluator's lock: here it holds until the test lets it go on.
        InputFeed pausingFeed = (env, instances) -> {
            runStarted.countDown();
            awaitOrFail(letRunGoOn, "the test to let the run go on");
            return matrix.tensors(env, instances);
        };
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            session = env.createSession(OnnxModels.linearRegressor(), options);
        }
        OnnxEvaluator evaluator = new OnnxEvaluator(env, session, pausingFeed,
                OutputReaders.choose(session.getOutputInfo(), List.of()), Map.of());
        ExecutorService runner = Executors.newSingleThreadExecutor();
        Thread closer = new Thread(evaluator::close, "onnx-session-closer");
        try {
            // 1 + 2a - 3b + 0.5c with a 2, b -1, c 4: 1 + 4 + 3 + 2 = 10
            Future<List<Map<String, Object>>> run =
                    runner.submit(() -> evaluator.predictBatch(List.of(Map.of("a", 2.0, "b", -1.0, "c", 4.0))));
            awaitOrFail(runStarted, "the run to start");

            closer.start();
            // A close that waits for the run parks on the lock; one that does not returns at once.
            Thread.State closing = Poll.until(Poll.PATIENCE, closer::getState,
                    state -> state == Thread.State.WAITING || state == Thread.State.TERMINATED,
                    "close() parked on the lock, or returned");
            assertThat(closing).as("close() while a run is using the session").isEqualTo(Thread.State.WAITING);
            assertThat(run).isNotDone();

            letRunGoOn.countDown();
            assertThat(run.get(Poll.PATIENCE.toSeconds(), TimeUnit.SECONDS).get(0))
                    .hasEntrySatisfying("prediction", p -> assertThat((Double) p).isCloseTo(10.0, within(1e-6)));
            closer.join(Poll.PATIENCE.toMillis());
            assertThat(closer.getState()).as("close() once the run is over").isEqualTo(Thread.State.TERMINATED);
            assertThat(evaluator.isClosed()).isTrue();
            assertThatThrownBy(() -> evaluator.predictBatch(List.of(Map.of("a", 1.0, "b", 1.0, "c", 1.0))).get(0))
                    .isInstanceOf(IllegalStateException.class).hasMessage("This model version has been unloaded");
        } finally {
            letRunGoOn.countDown();
            runner.shutdownNow();
            closer.join(Poll.PATIENCE.toMillis());
            evaluator.close();
        }
    }

    private static void awaitOrFail(CountDownLatch latch, String what) {
        try {
            if (!latch.await(Poll.PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("Not within " + Poll.PATIENCE + ": " + what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void stoppingTheServerClosesEverySession() {
        catalog.refresh();
        Evaluator evaluator = onlyEvaluator();

        catalog.stop();

        assertThat(((OnnxEvaluator) evaluator).isClosed()).isTrue();
        assertThat(catalog.current().allVersions()).isEmpty();
    }
}
