package com.simplemodelapi.prediction.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.error.ApiException;

import java.util.List;
import java.util.Map;

/** Either one record in {@code inputs} or a batch in {@code instances}; {@code id} is echoed back. */
public record PredictRequest(JsonNode id, Map<String, JsonNode> inputs, List<Map<String, JsonNode>> instances) {

    /** Refuses, with a 400, a request that is not exactly one record or a batch of 1 to maxBatchSize records. */
    public static void checkShape(PredictRequest request, int maxBatchSize) {
        if (request == null) {
            throw ApiException.badRequest("invalid_body",
                    "The body is empty. Send {\"inputs\": {...}} for one record or {\"instances\": [...]} for a batch.");
        }
        if ((request.inputs() == null) == (request.instances() == null)) {
            throw ApiException.badRequest("invalid_body",
                    "Send exactly one of \"inputs\" (one record) and \"instances\" (a batch).");
        }
        JsonNode id = request.id();
        // 1e400 reads as infinity, which JSON cannot carry back.
        if (id != null && !(id.isTextual() || id.isNumber() && !isNonFinite(id))) {
            throw ApiException.badRequest("invalid_body", "The \"id\" must be a string or a finite number.");
        }
        List<Map<String, JsonNode>> instances = request.instances();
        if (instances != null) {
            if (instances.isEmpty()) {
                throw ApiException.badRequest("invalid_body", "\"instances\" is empty; send at least one.");
            }
            if (instances.size() > maxBatchSize) {
                throw ApiException.badRequest("batch_too_large", "A batch may hold at most " + maxBatchSize
                        + " instances; this one has " + instances.size() + ". Split it into smaller batches.");
            }
            for (int i = 0; i < instances.size(); i++) {
                if (instances.get(i) == null) {
                    throw ApiException.badRequest("invalid_body", "instances[" + i + "] is null; send an object.");
                }
            }
        }
    }

    private static boolean isNonFinite(JsonNode number) {
        return number.isFloatingPointNumber() && !Double.isFinite(number.doubleValue());
    }
}
