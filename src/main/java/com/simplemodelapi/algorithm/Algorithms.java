package com.simplemodelapi.algorithm;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.models.model.InputField;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The algorithms on the class path, by name: the built-ins and any an operator has added. */
public final class Algorithms {
    private final Map<String, Algorithm> byName;

    private Algorithms(Map<String, Algorithm> byName) {
        this.byName = Map.copyOf(byName);
    }

    public static Algorithms discover() {
        Map<String, Algorithm> found = new TreeMap<>();
        for (Algorithm algorithm : ServiceLoader.load(Algorithm.class)) {
            Algorithm previous = found.putIfAbsent(algorithm.name(), algorithm);
            if (previous != null) {
                throw new IllegalStateException("Two algorithms are named '" + algorithm.name() + "': "
                        + previous.getClass().getName() + " and " + algorithm.getClass().getName());
            }
        }
        return new Algorithms(found);
    }

    public Optional<Algorithm> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Builds an evaluator with the named algorithm; an unknown name is an invalid model like any other. */
    public Evaluator build(String algorithmName, List<InputField> inputs, JsonNode parameters)
            throws InvalidModelException {
        Algorithm algorithm = find(algorithmName).orElseThrow(() -> new InvalidModelException(
                "Unknown algorithm '" + algorithmName + "'. This server has: " + String.join(", ", names())
                        + ". A plug-in algorithm must be on the class path."));
        return algorithm.build(inputs, parameters);
    }

    public Set<String> names() {
        return new TreeSet<>(byName.keySet());
    }
}
