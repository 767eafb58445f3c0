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
 * A plug-in that takes a built-in's name, as a careless jar might. Not in the test services file: only the test that
 * checks such a clash puts it on the class path.
 */
public final class LinearRegressionLookalike implements Algorithm {
    @Override
    public String name() {
        return "linear-regression";
    }

    @Override
    public Evaluator build(ModelSpec model, AlgorithmContext context) {
        return new RecordEvaluator() {
            @Override
            public List<OutputSpec> outputs() {
                return List.of(new OutputSpec("prediction", OutputSpec.Type.NUMBER));
            }

            @Override
            public Map<String, Object> predict(Map<String, Object> instance) {
                return Map.of("prediction", -1.0);
            }
        };
    }
}
