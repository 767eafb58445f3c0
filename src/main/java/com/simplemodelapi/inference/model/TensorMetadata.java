package com.simplemodelapi.inference.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/**
 * A tensor a model takes or gives: its datatype and shape, -1 for a size that varies. {@code parameters} says what
 * the shape alone cannot: a probabilities tensor's {@code classes}, in the order of its columns.
 */
public record TensorMetadata(String name, String datatype, List<Integer> shape,
                             @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Object> parameters) {
}
