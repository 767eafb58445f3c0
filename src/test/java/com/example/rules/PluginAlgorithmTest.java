package com.example.rules;

import com.simplemodelapi.algorithm.Algorithms;
import com.simplemodelapi.algorithm.Evaluator;
import com.simplemodelapi.models.model.InputField;
import com.simplemodelapi.models.model.InputType;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's plug-in example, found by ServiceLoader from its own services file, as an operator's jar would be. */
class PluginAlgorithmTest {

    @Test
    void discoveredBesideTheBuiltIns() {
        assertThat(Algorithms.discover().names()).contains("threshold", "linear-regression", "logistic-regression");
    }

    @Test
    void aBuiltInListedAgainByAServicesFileDoesNotClash() {
        // src/test/resources/META-INF/services lists LinearRegression as well as the plug-ins.
        assertThat(Algorithms.discover().find("linear-regression")).isPresent();
    }

    @Test
    void aModelUsingThePluginIsStored() {
        TestData data = new TestData(TestPostgres.newMigratedJdbi());
        int version = data.model("""
                {"name": "credit-rule", "algorithm": "threshold",
                 "inputs": [{"name": "score", "type": "number"}], "parameters": {"cut_off": 600}}""");
        assertThat(version).isEqualTo(1);
    }

    @Test
    void evaluatesWithTheOperatorsRule() throws Exception {
        Evaluator evaluator = Algorithms.discover().build("threshold",
                List.of(new InputField("score", InputType.NUMBER, true)), TestData.JSON.readTree("{\"cut_off\": 600}"), null);
        assertThat(evaluator.predict(Map.of("score", 600.0))).containsEntry("passed", true);
        assertThat(evaluator.predict(Map.of("score", 599.5))).containsEntry("passed", false);
    }
}
