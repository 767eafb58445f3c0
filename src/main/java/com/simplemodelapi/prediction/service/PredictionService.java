package com.simplemodelapi.prediction.service;

import com.codahale.metrics.Timer;
import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.catalog.ServedModel;
import com.simplemodelapi.error.ApiException;

import java.util.List;
import java.util.Map;

/** Validates a batch and runs it through the model's evaluator, timing it and counting failures per model. */
public final class PredictionService {
    private PredictionService() {
    }

    public static List<Map<String, Object>> predict(ServedModel model, List<Map<String, JsonNode>> instances) {
        if (!model.isAvailable()) {
            throw new ApiException(503, "model_unavailable", "Model '" + model.name() + "' version "
                    + model.version() + " cannot be served right now. Try another version, or ask an operator.");
        }
        List<Map<String, Object>> valid = InputValidator.validate(model.view().inputs(), instances);
        try (Timer.Context ignored = model.predictions().time()) {
            return model.evaluator().predictBatch(valid);
        } catch (RuntimeException e) {
            model.errors().mark();
            throw e;
        }
    }
}
