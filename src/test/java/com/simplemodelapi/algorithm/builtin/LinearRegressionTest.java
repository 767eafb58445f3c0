package com.simplemodelapi.algorithm.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.simplemodelapi.spi.Evaluator;
import com.simplemodelapi.spi.InputSpec;
import com.simplemodelapi.spi.InvalidModelException;
import com.simplemodelapi.spi.OutputSpec;
import com.simplemodelapi.testing.ModelSpecs;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LinearRegressionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<InputSpec> INPUTS =
            List.of(new InputSpec("x1", InputSpec.Type.NUMBER, true), new InputSpec("x2", InputSpec.Type.INTEGER,
                    true));
    private static final String PARAMETERS = """
            {"coefficients": {"x1": 2.0, "x2": -3.0}, "intercept": 1.0}
            """;

    private final LinearRegression algorithm = new LinearRegression();

    @Test
    void isNamedLinearRegression() {
        assertThat(algorithm.name()).isEqualTo("linear-regression");
    }

    @Test
    void outputsOnePredictionNumber() throws Exception {
        assertThat(build(INPUTS, PARAMETERS).outputs()).containsExactly(new OutputSpec("prediction",
                OutputSpec.Type.NUMBER));
    }

    @Test
    void predictsInterceptPlusWeightedInputs() throws Exception {
        Map<String, Object> prediction = build(INPUTS, PARAMETERS).predictBatch(List.of(Map.of("x1", 1.5, "x2",
                0.5))).get(0);

        // 1.0 + 2.0 * 1.5 + (-3.0) * 0.5 = 2.5
        assertThat((double) prediction.get("prediction")).isCloseTo(2.5, within(1e-12));
        assertThat(prediction).containsOnlyKeys("prediction");
    }

    @Test
    void acceptsIntegerInputs() throws Exception {
        Map<String, Object> prediction = build(INPUTS, PARAMETERS).predictBatch(List.of(Map.of("x1", 4L, "x2",
                -2L))).get(0);

        // 1.0 + 2.0 * 4 + (-3.0) * (-2) = 15.0
        assertThat((double) prediction.get("prediction")).isCloseTo(15.0, within(1e-12));
    }

    @Test
    void predictsABatchInOrder() throws Exception {
        List<Map<String, Object>> predictions = build(INPUTS, PARAMETERS)
                .predictBatch(List.of(Map.of("x1", 0.0, "x2", 0L), Map.of("x1", -1.0, "x2", 1L)));

        // 1.0 + 0 + 0 = 1.0; 1.0 + 2.0 * (-1) + (-3.0) * 1 = -4.0
        assertThat(predictions).extracting(p -> (double) p.get("prediction")).containsExactly(1.0, -4.0);
    }

    @Test
    void rejectsUnknownParameters() {
        assertInvalid(INPUTS, """
                {"coefficients": {"x1": 2.0, "x2": -3.0}, "intercept": 1.0, "bias": 2, "scale": 1}
                """, "'bias'", "'scale'");
    }

    @Test
    void rejectsAMissingIntercept() {
        assertInvalid(INPUTS, """
                {"coefficients": {"x1": 2.0, "x2": -3.0}}
                """, "'intercept' is missing");
    }

    @Test
    void rejectsANonNumericIntercept() {
        assertInvalid(INPUTS, """
                {"coefficients": {"x1": 2.0, "x2": -3.0}, "intercept": "1.0"}
                """, "'intercept' must be a number", "string");
    }

    @Test
    void rejectsANonFiniteIntercept() {
        assertInvalid(INPUTS, """
                {"coefficients": {"x1": 2.0, "x2": -3.0}, "intercept": 1e999}
                """, "'intercept' must be a finite number");
    }

    @Test
    void rejectsMissingCoefficients() {
        assertInvalid(INPUTS, """
                {"intercept": 1.0}
                """, "'coefficients' is missing");
    }

    @Test
    void rejectsCoefficientsThatAreNotAnObject() {
        assertInvalid(INPUTS, """
                {"coefficients": [2.0, -3.0], "intercept": 1.0}
                """, "'coefficients' must be an object", "array");
    }

    @Test
    void rejectsACoefficientForAnUndeclaredInput() {
        assertInvalid(INPUTS, """
                {"coefficients": {"x1": 2.0, "x2": -3.0, "x3": 1.0}, "intercept": 1.0}
                """, "'x3'", "not a declared input");
    }

    @Test
    void rejectsAnInputWithoutACoefficient() {
        assertInvalid(INPUTS, """
                {"coefficients": {"x1": 2.0}, "intercept": 1.0}
                """, "no coefficient for input 'x2'");
    }

    @Test
    void rejectsANonNumericCoefficient() {
        assertInvalid(INPUTS, """
                {"coefficients": {"x1": 2.0, "x2": true}, "intercept": 1.0}
                """, "'coefficients.x2' must be a number", "boolean");
    }

    @Test
    void rejectsANonFiniteCoefficient() throws Exception {
        JsonNode parameters = JSON.readTree(PARAMETERS);
        ((ObjectNode) parameters.get("coefficients"))
                .set("x1", JsonNodeFactory.instance.numberNode(Double.NaN));

        assertThatThrownBy(() -> algorithm.build(ModelSpecs.of(INPUTS, parameters), ModelSpecs.CONTEXT))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("'coefficients.x1' must be a finite number");
    }

    @Test
    void rejectsANonNumericInput() {
        List<InputSpec> inputs =
                List.of(new InputSpec("x1", InputSpec.Type.NUMBER, true), new InputSpec("x2", InputSpec.Type.STRING,
                        true));

        assertInvalid(inputs, PARAMETERS, "input 'x2'", "string", "number or integer");
    }

    @Test
    void rejectsAnOptionalInput() {
        List<InputSpec> inputs =
                List.of(new InputSpec("x1", InputSpec.Type.NUMBER, true), new InputSpec("x2", InputSpec.Type.NUMBER,
                        false));

        assertInvalid(inputs, PARAMETERS, "input 'x2' is optional");
    }

    private Evaluator build(List<InputSpec> inputs, String parameters) throws Exception {
        return algorithm.build(ModelSpecs.of(inputs, JSON.readTree(parameters)), ModelSpecs.CONTEXT);
    }

    private void assertInvalid(List<InputSpec> inputs, String parameters, String... messageParts) {
        assertThatThrownBy(() -> build(inputs, parameters))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContainingAll(messageParts);
    }
}
