package com.example.rules;

import com.simplemodelapi.spi.Algorithm;
import com.simplemodelapi.spi.AlgorithmContext;
import com.simplemodelapi.spi.Evaluator;
import com.simplemodelapi.spi.ModelSpec;
import com.simplemodelapi.spi.OutputSpec;
import com.simplemodelapi.spi.RecordEvaluator;

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
    public Evaluator build(ModelSpec model, AlgorithmContext context) {
        Object bug = model.parameters().get("bug");
        return new RecordEvaluator() {
            @Override
            public List<OutputSpec> outputs() {
                return List.of(new OutputSpec("never", OutputSpec.Type.NUMBER));
            }

            @Override
            public Map<String, Object> predict(Map<String, Object> instance) {
                if ("unwritable-output".equals(bug)) {
                    return Map.of("never", new Object());
                }
                if ("throwing-output".equals(bug)) {
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
