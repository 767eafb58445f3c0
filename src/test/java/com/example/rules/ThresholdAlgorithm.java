package com.example.rules;

import com.simplemodelapi.spi.Algorithm;
import com.simplemodelapi.spi.AlgorithmContext;
import com.simplemodelapi.spi.Evaluator;
import com.simplemodelapi.spi.InputSpec;
import com.simplemodelapi.spi.InvalidModelException;
import com.simplemodelapi.spi.ModelSpec;
import com.simplemodelapi.spi.OutputSpec;

import java.util.List;
import java.util.Map;

/** Says whether a score passes a cut-off, with parameters {@code {"cut_off": 600}}. */
public final class ThresholdAlgorithm implements Algorithm {
    @Override
    public String name() {
        return "threshold";
    }

    @Override
    public Evaluator build(ModelSpec model, AlgorithmContext context) throws InvalidModelException {
        List<InputSpec> inputs = model.inputs();
        if (inputs.size() != 1 || !inputs.get(0).type().isNumeric() || !inputs.get(0).required()) {
            throw new InvalidModelException("threshold takes exactly one required numeric input");
        }
        if (model.artifact().isPresent()) {
            throw new InvalidModelException("threshold takes no artifact");
        }
        if (!(model.parameters().get("cut_off") instanceof Number cutOff)) {
            throw new InvalidModelException("'cut_off' must be a number");
        }
        String input = inputs.get(0).name();
        double limit = cutOff.doubleValue();
        return new Evaluator() {
            @Override
            public List<OutputSpec> outputs() {
                return List.of(new OutputSpec("passed", OutputSpec.Type.BOOLEAN));
            }

            @Override
            public List<Map<String, Object>> predictBatch(List<Map<String, Object>> instances) {
                return instances.stream()
                        .map(instance -> Map.<String, Object>of("passed",
                                ((Number) instance.get(input)).doubleValue() >= limit))
                        .toList();
            }
        };
    }
}
