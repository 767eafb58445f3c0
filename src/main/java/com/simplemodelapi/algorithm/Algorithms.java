package com.simplemodelapi.algorithm;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.algorithm.builtin.LinearRegression;
import com.simplemodelapi.algorithm.builtin.LogisticRegression;
import com.simplemodelapi.algorithm.onnx.OnnxAlgorithm;
import com.simplemodelapi.algorithm.onnx.OnnxSettings;
import com.simplemodelapi.models.model.InputField;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The algorithms this server can evaluate, by name: the built-ins and any an operator has added. */
public final class Algorithms {
    private final Map<String, Algorithm> byName;

    private Algorithms(Map<String, Algorithm> byName) {
        this.byName = Map.copyOf(byName);
    }

    /** The built-ins, with ONNX Runtime set up as the config says, and the plug-ins on the class path. */
    public static Algorithms discover(OnnxSettings onnx) {
        Map<String, Algorithm> found = new TreeMap<>();
        for (Algorithm builtIn : List.of(new LinearRegression(), new LogisticRegression(), new OnnxAlgorithm(onnx))) {
            found.put(builtIn.name(), builtIn);
        }
        for (Algorithm algorithm : ServiceLoader.load(Algorithm.class)) {
            Algorithm previous = found.putIfAbsent(algorithm.name(), algorithm);
            // The same class listed again (a jar that also lists a built-in) is harmless; two classes are a clash.
            if (previous != null && previous.getClass() != algorithm.getClass()) {
                throw new IllegalStateException("Two algorithms are named '" + algorithm.name() + "': "
                        + previous.getClass().getName() + " and " + algorithm.getClass().getName());
            }
        }
        return new Algorithms(found);
    }

    /** As {@link #discover(OnnxSettings)} with ONNX Runtime's default settings. */
    public static Algorithms discover() {
        return discover(new OnnxSettings());
    }

    public Optional<Algorithm> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Set<String> names() {
        return new TreeSet<>(byName.keySet());
    }

    /**
     * Builds an evaluator with the named algorithm, from an artifact when {@code artifact} is not null; an unknown
     * name is an invalid model like any other.
     */
    public Evaluator build(String algorithmName, List<InputField> inputs, JsonNode parameters, byte[] artifact)
            throws InvalidModelException {
        Algorithm algorithm = find(algorithmName).orElseThrow(() -> new InvalidModelException(
                "Unknown algorithm '" + algorithmName + "'. This server has: " + String.join(", ", names())
                        + ". A plug-in algorithm must be on the class path."));
        return algorithm.build(inputs, parameters, artifact);
    }
}
