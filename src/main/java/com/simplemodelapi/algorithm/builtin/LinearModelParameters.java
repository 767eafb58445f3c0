package com.simplemodelapi.algorithm.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.spi.InputSpec;
import com.simplemodelapi.spi.InvalidModelException;
import com.simplemodelapi.spi.ModelSpec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reading and checking the parameters of the linear built-ins, and the arithmetic they share. */
final class LinearModelParameters {
    private LinearModelParameters() {
    }

    static void refuseArtifact(String algorithm, ModelSpec model) throws InvalidModelException {
        if (model.artifact().isPresent()) {
            throw new InvalidModelException("algorithm '" + algorithm + "' takes no artifact; remove \"artifact\""
                    + " from the model file");
        }
    }

    /** Requires the parameters to hold no keys outside {@code allowed}. */
    static void checkKeys(String algorithm, JsonNode parameters, Set<String> allowed) throws InvalidModelException {
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> keys = parameters.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!allowed.contains(key)) {
                unknown.add("'" + key + "'");
            }
        }
        if (!unknown.isEmpty()) {
            throw new InvalidModelException("unknown " + algorithm + " parameter(s) " + String.join(", ", unknown)
                    + "; allowed: " + String.join(", ", allowed.stream().sorted().toList()));
        }
    }

    /** The input names in declared order; every input is a feature, so each must be a required number. */
    static String[] numericFeatures(String algorithm, List<InputSpec> inputs) throws InvalidModelException {
        String[] features = new String[inputs.size()];
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < features.length; i++) {
            InputSpec input = inputs.get(i);
            if (!input.type().isNumeric()) {
                throw new InvalidModelException("input '" + input.name() + "' has type "
                        + input.type().name().toLowerCase(Locale.ROOT)
                        + ", but " + algorithm + " multiplies every input by a coefficient; declare it as number"
                        + " or integer");
            }
            if (!input.required()) {
                throw new InvalidModelException("input '" + input.name() + "' is optional, but " + algorithm
                        + " needs a value for every input; make it required");
            }
            if (!seen.add(input.name())) {
                throw new InvalidModelException("input '" + input.name() + "' is declared more than once");
            }
            features[i] = input.name();
        }
        return features;
    }

    /** Reads an object mapping exactly the {@code features} to numbers into an array in feature order. */
    static double[] coefficientRow(JsonNode row, String where, String[] features) throws InvalidModelException {
        if (row == null) {
            throw new InvalidModelException("'" + where + "' is missing; give an object mapping each input name"
                    + " to its coefficient");
        }
        if (!row.isObject()) {
            throw new InvalidModelException("'" + where + "' must be an object mapping each input name to its"
                    + " coefficient, got " + describe(row));
        }
        Set<String> declared = Set.of(features);
        for (Iterator<String> names = row.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!declared.contains(name)) {
                throw new InvalidModelException("'" + where + "' has a coefficient for '" + name
                        + "', which is not a declared input; declared inputs: " + String.join(", ", features));
            }
        }
        double[] coefficients = new double[features.length];
        for (int i = 0; i < features.length; i++) {
            JsonNode coefficient = row.get(features[i]);
            if (coefficient == null) {
                throw new InvalidModelException("'" + where + "' has no coefficient for input '" + features[i]
                        + "'; give every input one (0 to ignore it)");
            }
            coefficients[i] = number(coefficient, where + "." + features[i]);
        }
        return coefficients;
    }

    static double number(JsonNode node, String where) throws InvalidModelException {
        if (node == null) {
            throw new InvalidModelException("'" + where + "' is missing; give it as a number");
        }
        if (!node.isNumber()) {
            throw new InvalidModelException("'" + where + "' must be a number, got " + describe(node));
        }
        double value = node.doubleValue();
        if (!Double.isFinite(value)) {
            throw new InvalidModelException("'" + where + "' must be a finite number, got " + node.asText());
        }
        return value;
    }

    static String describe(JsonNode node) {
        return node == null ? "nothing" : node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    static double[] values(String[] features, Map<String, Object> instance) {
        double[] values = new double[features.length];
        for (int i = 0; i < features.length; i++) {
            values[i] = ((Number) instance.get(features[i])).doubleValue();
        }
        return values;
    }

    static double dot(double[] coefficients, double[] values) {
        double sum = 0;
        for (int i = 0; i < coefficients.length; i++) {
            sum += coefficients[i] * values[i];
        }
        return sum;
    }
}
