package com.simplemodelapi.testing;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplemodelapi.common.JsonTrees;
import com.simplemodelapi.spi.AlgorithmContext;
import com.simplemodelapi.spi.InputSpec;
import com.simplemodelapi.spi.ModelSpec;

import java.util.List;
import java.util.Optional;

/** Models and contexts for tests that call an algorithm directly, as the server would. */
public final class ModelSpecs {
    /** An algorithm's context with no settings of its own. */
    public static final AlgorithmContext CONTEXT = context("{}");

    private ModelSpecs() {
    }

    public static ModelSpec of(List<InputSpec> inputs, JsonNode parameters) {
        return of(inputs, parameters, null);
    }

    /** A model built from an artifact, or without one when {@code artifact} is null. The parameters are an object. */
    public static ModelSpec of(List<InputSpec> inputs, JsonNode parameters, byte[] artifact) {
        return new ModelSpec("test-model", inputs, JsonTrees.toMap(parameters), Optional.ofNullable(artifact));
    }

    /** A context whose settings are this JSON, as config.yml's {@code algorithms} section would give them. */
    public static AlgorithmContext context(String settingsJson) {
        try {
            return new AlgorithmContext(JsonTrees.toMap(new ObjectMapper().readTree(settingsJson)),
                    new MetricRegistry());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
