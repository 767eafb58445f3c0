package com.simplemodelapi.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an algorithm builds an evaluator from: the model's name, its declared inputs in order, its {@code parameters}
 * as the model file gave them, and, for a model built from a file (an ONNX graph), that file's bytes.
 *
 * <p>{@code parameters} is the model file's JSON object as a tree of plain Java values, in the file's order: an object
 * is a {@code Map<String, Object>}, an array a {@code List<Object>}, and the rest {@code String}, {@code Boolean},
 * {@code null} and {@code Number} ({@code Integer}, {@code Long} or {@code BigInteger} for a whole number, else
 * {@code Double}).
 */
public record ModelSpec(String name, List<InputSpec> inputs, Map<String, Object> parameters,
                        Optional<byte[]> artifact) {

    public ModelSpec {
        inputs = List.copyOf(inputs);
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }
}
