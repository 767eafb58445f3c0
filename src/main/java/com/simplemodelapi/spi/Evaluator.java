package com.simplemodelapi.spi;

import java.util.List;
import java.util.Map;

/**
 * A built model: immutable and safe to call from many threads at once.
 *
 * <p>Each instance handed to {@link #predictBatch} has already been checked against the model's inputs: it holds only
 * declared inputs, every required one is present, and values are {@code Double} (number), {@code Long} (integer),
 * {@code String} or {@code Boolean}. An optional input that was not sent is absent from the map.
 *
 * <p>An evaluator holding native resources (an ONNX session) releases them in {@link #close}, which the server calls
 * once the version has left memory, or at shutdown.
 */
public interface Evaluator extends AutoCloseable {

    /** The outputs every prediction holds, in order. */
    List<OutputSpec> outputs();

    /**
     * Evaluates a batch of one or more instances, returning one prediction per instance, in order. A prediction maps
     * each output's name to its value, which must be serialisable by Jackson.
     */
    List<Map<String, Object>> predictBatch(List<Map<String, Object>> instances);

    /** What the API shows about the model's artifact beyond its hash and size, such as an ONNX graph's opset. */
    default Map<String, Object> artifactDetails() {
        return Map.of();
    }

    /** Narrowed from {@link AutoCloseable}: closing an evaluator throws nothing checked. */
    @Override
    default void close() {
    }
}
