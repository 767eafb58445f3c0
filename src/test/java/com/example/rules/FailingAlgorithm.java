package com.example.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.algorithm.Algorithm;
import com.simplemodelapi.algorithm.Evaluator;
import com.simplemodelapi.models.model.InputField;
import com.simplemodelapi.models.model.OutputField;

import java.util.List;
import java.util.Map;

/**
 * A plug-in with a bug: every prediction throws, or, with {@code "parameters": {"bug": "unwritable-output"}}, returns
 * an output Jackson cannot write, or with {@code "throwing-output"}, one whose getter throws as Jackson writes it.
 * Tests use it to see how the service handles its own failures.
 */
public final class FailingAlgorithm implements Algorithm {
    public static final String SECRET_DETAIL = "internal detail that must not reach the client";

    @Override
    public String name() {
        return "failing";
    }

    @Override
    public Evaluator build(List<InputField> inputs, JsonNode parameters) {
        String bug = parameters.path("bug").asText();
        return new Evaluator() {
            @Override
            public List<OutputField> outputs() {
                return List.of(new OutputField("never", "number"));
            }

            @Override
            public Map<String, Object> predict(Map<String, Object> instance) {
                if (bug.equals("unwritable-output")) {
                    return Map.of("never", new Object());
                }
                if (bug.equals("throwing-output")) {
                    return Map.of("never", new ThrowingGetter());
                }
                throw new IllegalStateException(SECRET_DETAIL);
            }
        };
    }

    /** An output whose one property throws when it is read. */
    public static final class ThrowingGetter {
        public double getValue() {
            throw new IllegalStateException(SECRET_DETAIL);
        }
    }
}
