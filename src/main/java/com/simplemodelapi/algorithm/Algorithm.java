package com.simplemodelapi.algorithm;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.models.model.InputField;

import java.util.List;

/**
 * A kind of model the service can evaluate. Besides the built-ins, implementations are found with
 * {@link java.util.ServiceLoader}: list the class in {@code META-INF/services/com.simplemodelapi.algorithm.Algorithm}
 * of a jar on the class path.
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

    /**
     * As {@link #build(List, JsonNode)}, for a model version stored with an artifact: the bytes of the file the model
     * file's {@code "artifact"} names, such as an ONNX graph. Algorithms that take one override this.
     */
    default Evaluator build(List<InputField> inputs, JsonNode parameters, byte[] artifact)
            throws InvalidModelException {
        if (artifact != null) {
            throw new InvalidModelException("algorithm '" + name() + "' takes no artifact; remove \"artifact\""
                    + " from the model file");
        }
        return build(inputs, parameters);
    }
}
