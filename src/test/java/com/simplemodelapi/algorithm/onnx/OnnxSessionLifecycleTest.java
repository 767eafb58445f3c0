package com.simplemodelapi.algorithm.onnx;

import com.codahale.metrics.MetricRegistry;
import com.simplemodelapi.algorithm.Algorithms;
import com.simplemodelapi.algorithm.Evaluator;
import com.simplemodelapi.catalog.CatalogLoader;
import com.simplemodelapi.catalog.LiveCatalog;
import com.simplemodelapi.catalog.ServedModel;
import com.simplemodelapi.testing.OnnxModels;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import io.dropwizard.util.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One ONNX session per model version: built once, kept across refreshes, closed when its version leaves memory
 * and at shutdown, so refreshing never piles up native sessions.
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
    void stoppingTheServerClosesEverySession() {
        catalog.refresh();
        Evaluator evaluator = onlyEvaluator();

        catalog.stop();

        assertThat(((OnnxEvaluator) evaluator).isClosed()).isTrue();
        assertThat(catalog.current().allVersions()).isEmpty();
    }
}
