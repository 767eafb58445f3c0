package com.simplemodelapi.algorithm;

import com.simplemodelapi.algorithm.builtin.LinearRegression;
import com.simplemodelapi.algorithm.builtin.LogisticRegression;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplemodelapi.common.SetupException;
import com.simplemodelapi.spi.Evaluator;
import com.simplemodelapi.spi.InputSpec;
import com.simplemodelapi.testing.ModelSpecs;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlgorithmsTest {

    @Test
    void discoversTheBuiltInAlgorithms() {
        Algorithms algorithms = Algorithms.discover();

        assertThat(algorithms.names()).contains("linear-regression", "logistic-regression");
        assertThat(algorithms.find("linear-regression")).get().isInstanceOf(LinearRegression.class);
        assertThat(algorithms.find("logistic-regression")).get().isInstanceOf(LogisticRegression.class);
    }

    @Test
    void findsNothingForAnUnknownName() {
        assertThat(Algorithms.discover().find("random-forest")).isEmpty();
    }

    @Test
    void eachAlgorithmGetsItsOwnSettingsFromTheConfig() throws Exception {
        Algorithms algorithms = Algorithms.discover(
                Map.of("counted", json("{\"prediction\": 2.5}"), "onnx", json("{\"intraOpThreads\": 2}")),
                new MetricRegistry());
        try (Evaluator counted = algorithms.build("counted", ModelSpecs.of(
                List.of(new InputSpec("x", InputSpec.Type.NUMBER, true)), json("{}")))) {
            assertThat(counted.predictBatch(List.of(Map.of("x", 1.0)))).containsExactly(Map.of("prediction", 2.5));
        }
    }

    @Test
    void settingsTheServerCannotUseStopItFromStarting() {
        assertThatThrownBy(() -> Algorithms.discover(Map.of("random-forest", json("{}")), new MetricRegistry()))
                .isInstanceOf(SetupException.class).hasMessageContaining("[random-forest]");
        assertThatThrownBy(() -> Algorithms.discover(Map.of("onnx", json("{\"intraOpThreads\": 0}")),
                new MetricRegistry()))
                .isInstanceOf(SetupException.class).hasMessageContaining("intraOpThreads must be a whole number");
        assertThatThrownBy(() -> Algorithms.discover(Map.of("onnx", json("[1]")), new MetricRegistry()))
                .isInstanceOf(SetupException.class).hasMessageContaining("algorithms.onnx");
    }

    private static JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text);
    }
}
