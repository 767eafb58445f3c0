package com.simplemodelapi.spi;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Optional;

/**
 * What an algorithm builds an evaluator from: the model's name, its declared inputs in order, its {@code parameters}
 * as the model file gave them, and, for a model built from a file (an ONNX graph), that file's bytes.
 */
public record ModelSpec(String name, List<InputSpec> inputs, JsonNode parameters, Optional<byte[]> artifact) {

    public ModelSpec {
        inputs = List.copyOf(inputs);
    }
}
