package com.example.rules;

import com.simplemodelapi.algorithm.Algorithms;
import com.simplemodelapi.algorithm.builtin.LinearRegression;
import com.simplemodelapi.spi.Algorithm;
import com.simplemodelapi.spi.Evaluator;
import com.simplemodelapi.spi.InputSpec;
import com.simplemodelapi.testing.ModelSpecs;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The README's plug-in example, found by ServiceLoader from its own services file, as an operator's jar would be. */
class PluginAlgorithmTest {
    private static final List<InputSpec> LINEAR_INPUTS =
            List.of(new InputSpec("x1", InputSpec.Type.NUMBER, true), new InputSpec("x2", InputSpec.Type.NUMBER, true));

    @Test
    void discoveredBesideTheBuiltIns() {
        assertThat(Algorithms.discover().names()).contains("threshold", "linear-regression", "logistic-regression");
    }

    @Test
    void aBuiltInListedAgainByAServicesFileDoesNotClash() throws Exception {
        // src/test/resources/META-INF/services lists LinearRegression as well as the plug-ins.
        assertThat(ServiceLoader.load(Algorithm.class).stream().map(ServiceLoader.Provider::type))
                .as("the premise: a services file lists the built-in").contains(LinearRegression.class);

        Algorithms algorithms = Algorithms.discover();

        assertThat(algorithms.find("linear-regression")).get().isExactlyInstanceOf(LinearRegression.class);
        Evaluator evaluator = algorithms.build("linear-regression", ModelSpecs.of(LINEAR_INPUTS,
                TestData.JSON.readTree("{\"coefficients\": {\"x1\": 2, \"x2\": -3}, \"intercept\": 1}")));
        assertThat(evaluator.predictBatch(List.of(Map.of("x1", 3.0, "x2", 1.0))))
                .containsExactly(Map.of("prediction", 4.0));
    }

    @Test
    void aPluginTakingABuiltInsNameIsRefusedNamingBothClasses(@TempDir Path pluginJar) throws Exception {
        Path services = pluginJar.resolve("META-INF/services/" + Algorithm.class.getName());
        Files.createDirectories(services.getParent());
        Files.writeString(services, LinearRegressionLookalike.class.getName() + "\n");
        // ServiceLoader.load looks on the thread's context class loader, as it finds an operator's jar.
        ClassLoader classPath = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader withThePlugin = new URLClassLoader(new URL[] {pluginJar.toUri().toURL()}, classPath)) {
            Thread.currentThread().setContextClassLoader(withThePlugin);
            assertThatThrownBy(Algorithms::discover).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Two algorithms are named 'linear-regression'")
                    .hasMessageContaining(LinearRegression.class.getName())
                    .hasMessageContaining(LinearRegressionLookalike.class.getName());
        } finally {
            Thread.currentThread().setContextClassLoader(classPath);
        }
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
        Evaluator evaluator = Algorithms.discover().build("threshold", ModelSpecs.of(
                List.of(new InputSpec("score", InputSpec.Type.NUMBER, true)),
                        TestData.JSON.readTree("{\"cut_off\": 600}")));
        assertThat(evaluator.predictBatch(List.of(Map.of("score", 600.0), Map.of("score", 599.5))))
                .containsExactly(Map.of("passed", true), Map.of("passed", false));
    }
}
