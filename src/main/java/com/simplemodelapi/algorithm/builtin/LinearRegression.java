package com.simplemodelapi.algorithm.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.algorithm.Algorithm;
import com.simplemodelapi.algorithm.Evaluator;
import com.simplemodelapi.algorithm.InvalidModelException;
import com.simplemodelapi.models.model.InputField;
import com.simplemodelapi.models.model.OutputField;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.simplemodelapi.algorithm.builtin.LinearModelParameters.checkObject;
import static com.simplemodelapi.algorithm.builtin.LinearModelParameters.coefficientRow;
import static com.simplemodelapi.algorithm.builtin.LinearModelParameters.dot;
import static com.simplemodelapi.algorithm.builtin.LinearModelParameters.number;
import static com.simplemodelapi.algorithm.builtin.LinearModelParameters.numericFeatures;
import static com.simplemodelapi.algorithm.builtin.LinearModelParameters.values;

/**
 * {@code prediction = intercept + sum(coefficients[input] * input)}, with parameters
 * {@code {"coefficients": {"x1": 2.0, "x2": -3.0}, "intercept": 1.0}}.
 * */
public final class LinearRegression implements Algorithm {
    static final String NAME = "linear-regression";
    private static final Set<String> KEYS = Set.of("coefficients", "intercept");
    private static final List<OutputField> OUTPUTS = List.of(new OutputField("prediction", "number"));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Evaluator build(List<InputField> inputs, JsonNode parameters) throws InvalidModelException {
        checkObject(NAME, parameters, KEYS);
        String[] features = numericFeatures(NAME, inputs);
        double intercept = number(parameters.get("intercept"), "intercept");
        double[] coefficients = coefficientRow(parameters.get("coefficients"), "coefficients", features);
        return new LinearEvaluator(features, coefficients, intercept);
    }

    private record LinearEvaluator(String[] features, double[] coefficients, double intercept) implements Evaluator {
        @Override
        public List<OutputField> outputs() {
            return OUTPUTS;
        }

        @Override
        public Map<String, Object> predict(Map<String, Object> instance) {
            return Map.of("prediction", intercept + dot(coefficients, values(features, instance)));
        }
    }
}
