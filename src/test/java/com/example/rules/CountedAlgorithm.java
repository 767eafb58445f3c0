package com.example.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.algorithm.Algorithm;
import com.simplemodelapi.algorithm.Evaluator;
import com.simplemodelapi.models.model.InputField;
import com.simplemodelapi.models.model.OutputField;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plug-in that counts its evaluators built and not yet closed, as a stand-in for a native resource such as an ONNX
 * session: tests use it to see that the server closes every evaluator it builds. Takes an artifact or none. With
 * {@code "parameters": {"broken_outputs": true}} its evaluator throws when asked for its outputs.
 */
public final class CountedAlgorithm implements Algorithm {
    public static final AtomicInteger OPEN = new AtomicInteger();

    @Override
    public String name() {
        return "counted";
    }

    @Override
    public Evaluator build(List<InputField> inputs, JsonNode parameters) {
        return build(inputs, parameters, null);
    }

    @Override
    public Evaluator build(List<InputField> inputs, JsonNode parameters, byte[] artifact) {
        boolean brokenOutputs = parameters.path("broken_outputs").asBoolean();
        OPEN.incrementAndGet();
        return new Evaluator() {
            private boolean closed;

            @Override
            public List<OutputField> outputs() {
                if (brokenOutputs) {
                    throw new IllegalStateException("a plug-in bug in outputs()");
                }
                return List.of(new OutputField("prediction", "number"));
            }

            @Override
            public Map<String, Object> predict(Map<String, Object> instance) {
                return Map.of("prediction", 1.0);
            }

            @Override
            public synchronized void close() {
                if (!closed) {
                    closed = true;
                    OPEN.decrementAndGet();
                }
            }
        };
    }
}
