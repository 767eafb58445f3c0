package com.simplemodelapi.algorithm.onnx;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.common.JsonTrees;
import com.simplemodelapi.spi.InvalidModelException;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * ONNX Runtime session options, from {@code algorithms.onnx} in the config: {@code intraOpThreads}, 1 by default
 * (requests already run in parallel on all the cores), and {@code optimizationLevel}, {@code ALL_OPT} by default.
 */
public record OnnxSettings(int intraOpThreads, OptLevel optimizationLevel) {
    private static final Set<String> NAMES = Set.of("intraOpThreads", "optimizationLevel");

    public static OnnxSettings defaults() {
        return new OnnxSettings(1, OptLevel.ALL_OPT);
    }

    /** Reads the settings, refusing anything it does not know with a message naming the setting. */
    public static OnnxSettings read(Map<String, Object> given) throws InvalidModelException {
        JsonNode settings = JsonTrees.toNode(given);
        for (Iterator<String> names = settings.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!NAMES.contains(name)) {
                throw invalid("has an unknown setting '" + name + "'; known: intraOpThreads, optimizationLevel");
            }
        }
        int threads = defaults().intraOpThreads();
        JsonNode threadsNode = settings.get("intraOpThreads");
        if (threadsNode != null) {
            String text = threadsNode.asText();
            if (!text.matches("[0-9]{1,3}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 256) {
                throw invalid("intraOpThreads must be a whole number from 1 to 256, got " + threadsNode);
            }
            threads = Integer.parseInt(text);
        }
        OptLevel level = defaults().optimizationLevel();
        JsonNode levelNode = settings.get("optimizationLevel");
        if (levelNode != null) {
            level = Arrays.stream(OptLevel.values()).filter(value -> value.name().equals(levelNode.asText()))
                    .findFirst()
                    .orElseThrow(() -> invalid("optimizationLevel must be one of NO_OPT, BASIC_OPT, EXTENDED_OPT"
                            + " or ALL_OPT, got " + levelNode));
        }
        return new OnnxSettings(threads, level);
    }

    private static InvalidModelException invalid(String problem) {
        return new InvalidModelException("algorithms.onnx in the config " + problem);
    }
}
