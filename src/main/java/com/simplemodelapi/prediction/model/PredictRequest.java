package com.simplemodelapi.prediction.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/** Either one record in {@code inputs} or a batch in {@code instances}; {@code id} is echoed back. */
public record PredictRequest(JsonNode id, Map<String, JsonNode> inputs, List<Map<String, JsonNode>> instances) {
}
