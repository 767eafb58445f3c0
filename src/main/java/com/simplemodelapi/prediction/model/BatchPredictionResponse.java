package com.simplemodelapi.prediction.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchPredictionResponse(JsonNode id, String model, int version, List<Map<String, Object>> predictions) {
}
