package com.simplemodelapi.spi;

/**
 * A kind of model the service can evaluate. Besides the built-ins, implementations are found with
 * {@link java.util.ServiceLoader}: list the class in {@code META-INF/services/com.simplemodelapi.spi.Algorithm} of a
 * jar on the class path.
 */
public interface Algorithm {

    /** The name model files use in their {@code "algorithm"} field, such as {@code linear-regression}. */
    String name();

    /**
     * Checks the model's parameters (and artifact, if it has one) against its declared inputs and builds an evaluator
     * from them. Called once per model version, when it is added and whenever a server loads it; the evaluator is then
     * shared by all requests.
     *
     * @throws InvalidModelException with a message an operator can act on when the model does not fit
     */
    Evaluator build(ModelSpec model, AlgorithmContext context) throws InvalidModelException;
}
