package com.simplemodelapi.algorithm;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.models.model.InputField;

import java.util.List;

/**
 * A kind of model the service can evaluate. Implementations are found with {@link java.util.ServiceLoader}: list the
 * class in {@code META-INF/services/com.simplemodelapi.algorithm.Algorithm} of a jar on the class path.
 */
public interface Algorithm {

    /** The name model files use in their {@code "algorithm"} field, such as {@code linear-regression}. */
    String name();

    /**
     * Checks the parameters against the declared inputs and builds an evaluator from them. Called once per model
     * version, when it is added and whenever a server loads it; the evaluator is then shared by all requests.
     *
     * @throws InvalidModelException with a message an operator can act on when the parameters do not fit
     */
    Evaluator build(List<InputField> inputs, JsonNode parameters) throws InvalidModelException;
}
