package com.simplemodelapi.prediction.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * Either one record in {@code inputs} or a batch in {@code instances}; {@code id} is echoed back. Unknown fields are
 * refused, so a misspelt {@code "instance"} is not silently ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record PredictRequest(JsonNode id, Map<String, JsonNode> inputs, List<Map<String, JsonNode>> instances) {
}
