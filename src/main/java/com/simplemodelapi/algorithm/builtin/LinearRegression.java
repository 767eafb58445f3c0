package com.simplemodelapi.algorithm.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.common.JsonTrees;
import com.simplemodelapi.spi.Algorithm;
import com.simplemodelapi.spi.AlgorithmContext;
import com.simplemodelapi.spi.Evaluator;
import com.simplemodelapi.spi.InvalidModelException;
import com.simplemodelapi.spi.ModelSpec;
import com.simplemodelapi.spi.OutputSpec;
import com.simplemodelapi.spi.RecordEvaluator;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.simplemodelapi.algorithm.builtin.LinearModelParameters.checkKeys;
import static com.simplemodelapi.algorithm.builtin.LinearModelParameters.coefficientRow;
import static com.simplemodelapi.algorithm.builtin.LinearModelParameters.dot;
import static com.simplemodelapi.algorithm.builtin.LinearModelParameters.number;
import static com.simplemodelapi.algorithm.builtin.LinearModelParameters.numericFeatures;
import static com.simplemodelapi.algorithm.builtin.LinearModelParameters.refuseArtifact;
import static com.simplemodelapi.algorithm.builtin.LinearModelParameters.values;

/**
 * {@code prediction = intercept + sum(coefficients[input] * input)}, with parameters
 * {@code {"coefficients": {"x1": 2.0, "x2": -3.0}, "intercept": 1.0}}.
 * */
public final class LinearRegression implements Algorithm {
    static final String NAME = "linear-regression";
    private static final Set<String> KEYS = Set.of("coefficients", "intercept");
    private static final List<OutputSpec> OUTPUTS = List.of(new OutputSpec("prediction", OutputSpec.Type.NUMBER));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Evaluator build(ModelSpec model, AlgorithmContext context) throws InvalidModelException {
        refuseArtifact(NAME, model);
        JsonNode parameters = JsonTrees.toNode(model.parameters());
        checkKeys(NAME, parameters, KEYS);
        String[] features = numericFeatures(NAME, model.inputs());
        double intercept = number(parameters.get("intercept"), "intercept");
        double[] coefficients = coefficientRow(parameters.get("coefficients"), "coefficients", features);
        return new LinearEvaluator(features, coefficients, intercept);
    }

    private record LinearEvaluator(String[] features, double[] coefficients,
            double intercept) implements RecordEvaluator {
        @Override
        public List<OutputSpec> outputs() {
            return OUTPUTS;
        }

        @Override
        public Map<String, Object> predict(Map<String, Object> instance) {
            return Map.of("prediction", intercept + dot(coefficients, values(features, instance)));
        }
    }
}
