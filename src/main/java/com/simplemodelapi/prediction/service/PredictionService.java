package com.simplemodelapi.prediction.service;

import com.codahale.metrics.Timer;
import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.catalog.ServedModel;
import com.simplemodelapi.error.ApiException;

import java.util.List;
import java.util.Map;

/**
 * Runs instances through the model's evaluator, timing it and counting failures per model. Every protocol checks
 * first that the version can serve, then turns its request into checked values, then evaluates them here.
 */
public final class PredictionService {
    private PredictionService() {
    }

    /** Validates a batch of JSON instances and evaluates it. */
    public static List<Map<String, Object>> predict(ServedModel model, List<Map<String, JsonNode>> instances) {
        requireAvailable(model);
        return evaluate(model, InputValidator.validate(model.view().inputs(), instances));
    }

    /** A 503 for a version this server could not load. */
    public static void requireAvailable(ServedModel model) {
        if (!model.isAvailable()) {
            throw new ApiException(503, "model_unavailable", "Model '" + model.name() + "' version "
                    + model.version() + " cannot be served right now. Try another version, or ask an operator.");
        }
    }

    /** Evaluates instances already checked against the model's inputs, in one run. */
    public static List<Map<String, Object>> evaluate(ServedModel model, List<Map<String, Object>> valid) {
        try (Timer.Context ignored = model.predictions().time()) {
            return model.evaluator().predictBatch(valid);
        } catch (RuntimeException e) {
            model.errors().mark();
            throw e;
        }
    }
}
