package com.example.rules;

import com.simplemodelapi.spi.Algorithm;
import com.simplemodelapi.spi.AlgorithmContext;
import com.simplemodelapi.spi.Evaluator;
import com.simplemodelapi.spi.ModelSpec;
import com.simplemodelapi.spi.OutputSpec;
import com.simplemodelapi.spi.RecordEvaluator;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plug-in that counts its evaluators built and not yet closed, as a stand-in for a native resource such as an ONNX
 * session: tests use it to see that the server closes every evaluator it builds. Takes an artifact or none. With
 * {@code "parameters": {"broken_outputs": true}} its evaluator throws when asked for its outputs. Its prediction is
 * the {@code prediction} of its settings in the config, 1.0 when there is none.
 */
public final class CountedAlgorithm implements Algorithm {
    public static final AtomicInteger OPEN = new AtomicInteger();

    @Override
    public String name() {
        return "counted";
    }

    @Override
    public Evaluator build(ModelSpec model, AlgorithmContext context) {
        boolean brokenOutputs = Boolean.TRUE.equals(model.parameters().get("broken_outputs"));
        Object prediction = context.settings().getOrDefault("prediction", 1.0);
        OPEN.incrementAndGet();
        return new RecordEvaluator() {
            private boolean closed;

            @Override
            public List<OutputSpec> outputs() {
                if (brokenOutputs) {
                    throw new IllegalStateException("a plug-in bug in outputs()");
                }
                return List.of(new OutputSpec("prediction", OutputSpec.Type.NUMBER));
            }

            @Override
            public Map<String, Object> predict(Map<String, Object> instance) {
                return Map.of("prediction", prediction);
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
