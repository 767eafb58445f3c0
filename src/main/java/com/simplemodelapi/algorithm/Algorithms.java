package com.simplemodelapi.algorithm;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.algorithm.builtin.LinearRegression;
import com.simplemodelapi.algorithm.builtin.LogisticRegression;
import com.simplemodelapi.algorithm.onnx.OnnxAlgorithm;
import com.simplemodelapi.algorithm.onnx.OnnxSettings;
import com.simplemodelapi.common.JsonTrees;
import com.simplemodelapi.common.SetupException;
import com.simplemodelapi.spi.Algorithm;
import com.simplemodelapi.spi.AlgorithmContext;
import com.simplemodelapi.spi.Evaluator;
import com.simplemodelapi.spi.InvalidModelException;
import com.simplemodelapi.spi.ModelSpec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The algorithms this server can evaluate, by name: the built-ins and any an operator has added, each with its own
 * context (its settings from the config's {@code algorithms} section).
 */
public final class Algorithms {
    private final Map<String, Algorithm> byName;
    private final Map<String, AlgorithmContext> contexts;

    private Algorithms(Map<String, Algorithm> byName, Map<String, AlgorithmContext> contexts) {
        this.byName = Map.copyOf(byName);
        this.contexts = Map.copyOf(contexts);
    }

    /**
     * The built-ins and the plug-ins on the class path. {@code settings} maps an algorithm's name to its section of
     * the config; a section naming no algorithm, or ONNX settings it cannot use, stop the server from starting.
     */
    public static Algorithms discover(Map<String, JsonNode> settings, MetricRegistry metrics) {
        Map<String, Algorithm> found = new TreeMap<>();
        for (Algorithm builtIn : List.of(new LinearRegression(), new LogisticRegression(), new OnnxAlgorithm())) {
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
        Set<String> unknown = new TreeSet<>(settings.keySet());
        unknown.removeAll(found.keySet());
        if (!unknown.isEmpty()) {
            throw new SetupException("The config's 'algorithms' section has settings for " + unknown
                    + ", which this server does not have; it has " + found.keySet() + ".");
        }
        Map<String, AlgorithmContext> contexts = new HashMap<>();
        for (String name : found.keySet()) {
            JsonNode own = settings.get(name);
            if (own != null && !own.isNull() && !own.isObject()) {
                throw new SetupException("algorithms." + name + " in the config must be a map of settings.");
            }
            contexts.put(name, new AlgorithmContext(
                    own == null || own.isNull() ? Map.of() : JsonTrees.toMap(own), metrics));
        }
        try {
            OnnxSettings.read(contexts.get(OnnxAlgorithm.NAME).settings());
        } catch (InvalidModelException e) {
            throw new SetupException(e.getMessage());
        }
        return new Algorithms(found, contexts);
    }

    /** As {@link #discover(Map, MetricRegistry)} with no settings: every algorithm with its defaults. */
    public static Algorithms discover() {
        return discover(Map.of(), new MetricRegistry());
    }

    public Optional<Algorithm> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Set<String> names() {
        return new TreeSet<>(byName.keySet());
    }

    /** Builds an evaluator with the named algorithm; an unknown name is an invalid model like any other. */
    public Evaluator build(String algorithmName, ModelSpec model) throws InvalidModelException {
        Algorithm algorithm = find(algorithmName).orElseThrow(() -> new InvalidModelException(
                "Unknown algorithm '" + algorithmName + "'. This server has: " + String.join(", ", names())
                        + ". A plug-in algorithm must be on the class path."));
        return algorithm.build(model, contexts.get(algorithmName));
    }
}
