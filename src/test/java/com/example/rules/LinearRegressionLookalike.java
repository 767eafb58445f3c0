package com.example.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.algorithm.Algorithm;
import com.simplemodelapi.algorithm.Evaluator;
import com.simplemodelapi.models.model.InputField;
import com.simplemodelapi.models.model.OutputField;

import java.util.List;
import java.util.Map;

/**
 * A plug-in that takes a built-in's name, as a careless jar might. Not in the test services file: only the test that
 * checks such a clash puts it on the class path.
 */
public final class LinearRegressionLookalike implements Algorithm {
    @Override
    public String name() {
        return "linear-regression";
    }

    @Override
    public Evaluator build(List<InputField> inputs, JsonNode parameters) {
        return new Evaluator() {
            @Override
            public List<OutputField> outputs() {
                return List.of(new OutputField("prediction", "number"));
            }

            @Override
            public Map<String, Object> predict(Map<String, Object> instance) {
                return Map.of("prediction", -1.0);
            }
        };
    }
}
