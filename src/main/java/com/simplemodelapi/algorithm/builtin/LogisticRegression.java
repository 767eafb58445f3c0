package com.simplemodelapi.algorithm.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.common.JsonTrees;
import com.simplemodelapi.spi.Algorithm;
import com.simplemodelapi.spi.AlgorithmContext;
import com.simplemodelapi.spi.Evaluator;
import com.simplemodelapi.spi.InvalidModelException;
import com.simplemodelapi.spi.ModelSpec;
import com.simplemodelapi.spi.OutputSpec;
import com.simplemodelapi.spi.RecordEvaluator;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.simplemodelapi.algorithm.builtin.LinearModelParameters.checkKeys;
import static com.simplemodelapi.algorithm.builtin.LinearModelParameters.coefficientRow;
import static com.simplemodelapi.algorithm.builtin.LinearModelParameters.describe;
import static com.simplemodelapi.algorithm.builtin.LinearModelParameters.dot;
import static com.simplemodelapi.algorithm.builtin.LinearModelParameters.number;
import static com.simplemodelapi.algorithm.builtin.LinearModelParameters.numericFeatures;
import static com.simplemodelapi.algorithm.builtin.LinearModelParameters.refuseArtifact;
import static com.simplemodelapi.algorithm.builtin.LinearModelParameters.values;

/**
 * Class probabilities computed as scikit-learn's {@code LogisticRegression.predict_proba} does, with parameters
 * {@code {"classes": [...], "coefficients": [{input: number, ...}, ...], "intercepts": [...],
 * "multi_class": "auto" | "multinomial" | "ovr"}}.
 *
 * <p>A single coefficient row with two classes is a binary model: its sigmoid is the second class's probability.
 * Otherwise there is one row per class, turned into probabilities by softmax ({@code multinomial}) or by normalising
 * the per-class sigmoids ({@code ovr}). {@code multi_class} takes scikit-learn's own values as a fitted model's
 * {@code get_params()} gives them: {@code "auto"}, and {@code "deprecated"} (1.5 on, where the parameter is on its way
 * out) or no {@code multi_class} at all, mean what scikit-learn's {@code predict_proba} then does for these
 * coefficients: binary for one row, multinomial for several. (scikit-learn's {@code "warn"}, from 0.20 and 0.21, is
 * its {@code "ovr"}.)
 */
public final class LogisticRegression implements Algorithm {
    static final String NAME = "logistic-regression";
    private static final Set<String> KEYS = Set.of("classes", "coefficients", "intercepts", "multi_class");


    private enum Link { BINARY, MULTINOMIAL, OVR }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Evaluator build(ModelSpec model, AlgorithmContext context) throws InvalidModelException {
        refuseArtifact(NAME, model);
        JsonNode parameters = JsonTrees.toNode(model.parameters());
        checkKeys(NAME, parameters, KEYS);
        String[] features = numericFeatures(NAME, model.inputs());
        String[] classes = classes(parameters.get("classes"));
        Link link = link(parameters.get("multi_class"));

        JsonNode rows = parameters.get("coefficients");
        if (rows == null || !rows.isArray()) {
            throw new InvalidModelException("'coefficients' must be an array of objects mapping input names to"
                    + " numbers, one per class (or one for a 2-class model), got " + describe(rows));
        }
        boolean binary = rows.size() == 1 && classes.length == 2;
        if (!binary && rows.size() != classes.length) {
            throw new InvalidModelException("'coefficients' has " + rows.size() + " row(s) but 'classes' has "
                    + classes.length + "; give one row per class, or a single row when there are exactly 2 classes");
        }
        double[][] coefficients = new double[rows.size()][];
        for (int k = 0; k < coefficients.length; k++) {
            coefficients[k] = coefficientRow(rows.get(k), "coefficients[" + k + "]", features);
        }

        JsonNode interceptNodes = parameters.get("intercepts");
        if (interceptNodes == null || !interceptNodes.isArray()) {
            throw new InvalidModelException("'intercepts' must be an array of numbers, one per coefficient row, got "
                    + describe(interceptNodes));
        }
        if (interceptNodes.size() != coefficients.length) {
            throw new InvalidModelException("'intercepts' has " + interceptNodes.size() + " value(s) but"
                    + " 'coefficients' has " + coefficients.length + " row(s); give one intercept per row");
        }
        double[] intercepts = new double[coefficients.length];
        for (int k = 0; k < intercepts.length; k++) {
            intercepts[k] = number(interceptNodes.get(k), "intercepts[" + k + "]");
        }

        return new LogisticEvaluator(classes, features, coefficients, intercepts, binary ? Link.BINARY : link);
    }

    private static String[] classes(JsonNode node) throws InvalidModelException {
        if (node == null || !node.isArray()) {
            throw new InvalidModelException("'classes' must be an array of class names (strings) in the model's"
                    + " class order, got " + describe(node));
        }
        if (node.size() < 2) {
            throw new InvalidModelException("'classes' must list at least 2 classes, got " + node.size());
        }
        String[] classes = new String[node.size()];
        Set<String> seen = new HashSet<>();
        for (int k = 0; k < classes.length; k++) {
            JsonNode name = node.get(k);
            if (!name.isTextual()) {
                throw new InvalidModelException("classes[" + k + "] must be a string, got " + name);
            }
            if (!seen.add(name.textValue())) {
                throw new InvalidModelException("class '" + name.textValue() + "' appears more than once in"
                        + " 'classes'");
            }
            classes[k] = name.textValue();
        }
        return classes;
    }

    /** The link for several rows; one row with two classes is binary whatever this says. */
    private static Link link(JsonNode node) throws InvalidModelException {
        if (node == null || node.isNull()) {
            return Link.MULTINOMIAL;
        }
        if (node.isTextual()) {
            switch (node.textValue()) {
                case "auto", "deprecated", "multinomial" -> {
                    return Link.MULTINOMIAL;
                }
                case "ovr", "warn" -> {
                    return Link.OVR;
                }
                default -> {
                }
            }
        }
        throw new InvalidModelException("unknown 'multi_class' value " + node + "; use \"auto\", \"multinomial\""
                + " or \"ovr\", or leave it out");
    }

    private record LogisticEvaluator(String[] classes, String[] features, double[][] coefficients,
                                     double[] intercepts, Link link) implements RecordEvaluator {
        @Override
        public List<OutputSpec> outputs() {
            return List.of(new OutputSpec("label", OutputSpec.Type.STRING),
                    new OutputSpec("probabilities", OutputSpec.Type.OBJECT, List.of(classes)));
        }

        @Override
        public Map<String, Object> predict(Map<String, Object> instance) {
            double[] x = values(features, instance);
            double[] z = new double[coefficients.length];
            for (int k = 0; k < z.length; k++) {
                z[k] = dot(coefficients[k], x) + intercepts[k];
            }
            double[] p = switch (link) {
                case BINARY -> binary(z[0]);
                case MULTINOMIAL -> softmax(z);
                case OVR -> ovr(z);
            };

            Map<String, Double> probabilities = new LinkedHashMap<>();
            int best = 0;
            for (int k = 0; k < p.length; k++) {
                probabilities.put(classes[k], p[k]);
                if (p[k] > p[best]) {
                    best = k;
                }
            }
            Map<String, Object> prediction = new LinkedHashMap<>();
            prediction.put("label", classes[best]);
            prediction.put("probabilities", probabilities);
            return prediction;
        }
    }

    static double[] binary(double z) {
        double p1 = sigmoid(z);
        return new double[] {1 - p1, p1};
    }

    static double sigmoid(double z) {
        if (z >= 0) {
            return 1 / (1 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1 + e);
    }

    static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double[] p = new double[z.length];
        double sum = 0;
        for (int k = 0; k < z.length; k++) {
            p[k] = Math.exp(z[k] - max);
            sum += p[k];
        }
        for (int k = 0; k < p.length; k++) {
            p[k] /= sum;
        }
        return p;
    }

    /**
     * {@code sigmoid(z[k]) / sum(sigmoid(z))}, computed as a softmax of log-sigmoids: when every logit is very
     * negative the sigmoids underflow to 0 and the plain quotient would be 0/0.
     */
    static double[] ovr(double[] z) {
        double[] logSigmoid = new double[z.length];
        for (int k = 0; k < z.length; k++) {
            logSigmoid[k] = z[k] >= 0 ? -Math.log1p(Math.exp(-z[k])) : z[k] - Math.log1p(Math.exp(z[k]));
        }
        return softmax(logSigmoid);
    }
}
