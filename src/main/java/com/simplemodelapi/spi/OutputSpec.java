package com.simplemodelapi.spi;

import java.util.List;

/**
 * One output every prediction of a model holds, with the JSON type of its value. An {@code OBJECT} output whose
 * values always hold the same keys lists them in {@code keys}, in the order the values hold them: a classifier's
 * probabilities list its classes. Other outputs have no keys.
 */
public record OutputSpec(String name, Type type, List<String> keys) {

    public enum Type {
        NUMBER, INTEGER, STRING, BOOLEAN, OBJECT, ARRAY
    }

    public OutputSpec {
        keys = List.copyOf(keys);
    }

    public OutputSpec(String name, Type type) {
        this(name, type, List.of());
    }
}
