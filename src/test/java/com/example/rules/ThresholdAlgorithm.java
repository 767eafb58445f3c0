package com.example.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.algorithm.Algorithm;
import com.simplemodelapi.algorithm.Evaluator;
import com.simplemodelapi.algorithm.InvalidModelException;
import com.simplemodelapi.models.model.InputField;
import com.simplemodelapi.models.model.OutputField;

import java.util.List;
import java.util.Map;

public final class ThresholdAlgorithm implements Algorithm {
    @Override
    public String name() {
        return "threshold";
    }

    @Override
    public Evaluator build(List<InputField> inputs, JsonNode parameters) throws InvalidModelException {
        if (inputs.size() != 1 || !inputs.get(0).type().isNumeric()) {
            throw new InvalidModelException("threshold takes exactly one numeric input");
        }
        JsonNode cutOff = parameters.get("cut_off");
        if (cutOff == null || !cutOff.isNumber()) {
            throw new InvalidModelException("'cut_off' must be a number");
        }
        String input = inputs.get(0).name();
        double limit = cutOff.doubleValue();
        return new Evaluator() {
            @Override
            public List<OutputField> outputs() {
                return List.of(new OutputField("passed", "boolean"));
            }

            @Override
            public Map<String, Object> predict(Map<String, Object> instance) {
                return Map.of("passed", ((Number) instance.get(input)).doubleValue() >= limit);
            }
        };
    }
}
