package com.simplemodelapi.algorithm;

import com.simplemodelapi.algorithm.builtin.LinearRegression;
import com.simplemodelapi.algorithm.builtin.LogisticRegression;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

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
}
