package com.example.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.algorithm.Algorithm;
import com.simplemodelapi.algorithm.Evaluator;
import com.simplemodelapi.models.model.InputField;
import com.simplemodelapi.models.model.OutputField;

import java.util.List;
import java.util.Map;

/** A plug-in that takes {@code parameters.millis} per prediction: a request that is surely in flight when a test wants. */
public final class SlowAlgorithm implements Algorithm {

    @Override
    public String name() {
        return "slow";
    }

    @Override
    public Evaluator build(List<InputField> inputs, JsonNode parameters) {
        long millis = parameters.path("millis").asLong();
        return new Evaluator() {
            @Override
            public List<OutputField> outputs() {
                return List.of(new OutputField("waited_ms", "number"));
            }

            @Override
            public Map<String, Object> predict(Map<String, Object> instance) {
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
                return Map.of("waited_ms", millis);
            }
        };
    }
}
