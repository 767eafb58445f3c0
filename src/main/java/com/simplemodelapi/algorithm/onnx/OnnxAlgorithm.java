package com.simplemodelapi.algorithm.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.common.JsonTrees;
import com.simplemodelapi.spi.Algorithm;
import com.simplemodelapi.spi.AlgorithmContext;
import com.simplemodelapi.spi.Evaluator;
import com.simplemodelapi.spi.InputSpec;
import com.simplemodelapi.spi.InvalidModelException;
import com.simplemodelapi.spi.ModelSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Models exported to ONNX (skl2onnx, Tribuo, PyTorch, ...), run by ONNX Runtime. The graph is the model's artifact;
 * parameters, all optional: {@code {"feature_order": [input names], "classes": [class names]}}.
 *
 * <p>Two input shapes, told apart by the graph's own inputs: one {@code [N, F]} float or double tensor, filled from
 * the named JSON inputs in {@code feature_order} (the declared inputs' order when absent); or one {@code [N, 1]} input
 * per feature, named like the declared inputs and fed by name.
 */
public final class OnnxAlgorithm implements Algorithm {
    public static final String NAME = "onnx";
    private static final Set<String> PARAMETERS = Set.of("feature_order", "classes");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Evaluator build(ModelSpec model, AlgorithmContext context) throws InvalidModelException {
        byte[] artifact = model.artifact().orElseThrow(() -> new InvalidModelException(
                "an onnx model needs its graph: name the .onnx file in \"artifact\""));
        OnnxSettings settings = OnnxSettings.read(context.settings());
        JsonNode parameters = JsonTrees.toNode(model.parameters());
        List<InputSpec> inputs = model.inputs();
        checkParameterNames(parameters);
        GraphFacts facts = GraphFacts.read(artifact);
        List<String> classes = classes(parameters.get("classes"), facts.classLabels());

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(settings.intraOpThreads());
            options.setOptimizationLevel(settings.optimizationLevel());
            session = env.createSession(artifact, options);
        } catch (OrtException e) {
            throw new InvalidModelException("ONNX Runtime cannot load the graph: " + e.getMessage());
        }
        try {
            InputFeed feed = inputFeed(session.getInputInfo(), inputs, parameters.get("feature_order"));
            List<OutputReader> readers = OutputReaders.choose(session.getOutputInfo(), classes);
            return new OnnxEvaluator(env, session, feed, readers, facts.details());
        } catch (InvalidModelException | OrtException | RuntimeException e) {
            closeQuietly(session);
            if (e instanceof InvalidModelException invalid) {
                throw invalid;
            }
            throw new InvalidModelException("ONNX Runtime cannot describe the graph: " + e.getMessage());
        }
    }

    private static void checkParameterNames(JsonNode parameters) throws InvalidModelException {
        for (Iterator<String> names = parameters.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!PARAMETERS.contains(name)) {
                throw new InvalidModelException("unknown onnx parameter '" + name + "'; allowed: "
                        + String.join(", ", new TreeSet<>(PARAMETERS)));
            }
        }
    }

    private static List<String> classes(JsonNode given, List<String> fromGraph) throws InvalidModelException {
        if (given == null) {
            return fromGraph;
        }
        List<String> classes = strings(given, "classes");
        if (!fromGraph.isEmpty() && !fromGraph.equals(classes)) {
            throw new InvalidModelException("'classes' " + classes + " differ from the graph's class labels "
                    + fromGraph + "; leave 'classes' out to use the graph's");
        }
        return classes;
    }

    private static InputFeed inputFeed(Map<String, NodeInfo> graphInputs, List<InputSpec> declared,
                                       JsonNode featureOrder) throws InvalidModelException {
        Map<String, InputSpec> byName = declared.stream()
                .collect(Collectors.toMap(InputSpec::name, Function.identity(), (a, b) -> a, LinkedHashMap::new));
        boolean perFeature = graphInputs.size() > 1
                || (byName.containsKey(graphInputs.keySet().iterator().next()) && featureOrder == null);
        if (perFeature && featureOrder != null) {
            throw new InvalidModelException("'feature_order' is for a graph with one [N, features] input; this graph"
                    + " takes one input per feature " + graphInputs.keySet() + ", fed by name: leave it out");
        }
        return perFeature ? perFeatureFeed(graphInputs, byName) : matrixFeed(graphInputs, byName, featureOrder);
    }

    private static InputFeed matrixFeed(Map<String, NodeInfo> graphInputs, Map<String, InputSpec> declared,
                                        JsonNode featureOrder) throws InvalidModelException {
        Map.Entry<String, NodeInfo> input = graphInputs.entrySet().iterator().next();
        TensorInfo tensor = tensor(input.getKey(), input.getValue());
        long[] shape = tensor.getShape();
        List<String> features = featureOrder == null ? List.copyOf(declared.keySet())
                : strings(featureOrder, "feature_order");
        if (shape.length != 2 || (tensor.type != OnnxJavaType.FLOAT && tensor.type != OnnxJavaType.DOUBLE)) {
            throw new InvalidModelException("the graph's one input '" + input.getKey() + "' is " + describe(tensor)
                    + "; a single input must be a 2-D float or double tensor [N, features]");
        }
        if (shape[1] >= 0 && shape[1] != features.size()) {
            throw new InvalidModelException("the graph's input '" + input.getKey() + "' is " + describe(tensor)
                    + ", but " + features.size() + " features are fed to it (" + String.join(", ", features) + ")");
        }
        for (String feature : features) {
            InputSpec field = declared.get(feature);
            if (field == null) {
                throw new InvalidModelException("'feature_order' names '" + feature + "', which is not a declared input");
            }
            requireNumericAndRequired(field);
        }
        for (String name : declared.keySet()) {
            if (!features.contains(name)) {
                throw new InvalidModelException("input '" + name + "' is declared but not in 'feature_order'");
            }
        }
        return new MatrixInputFeed(input.getKey(), tensor.type, features.toArray(String[]::new));
    }

    private static InputFeed perFeatureFeed(Map<String, NodeInfo> graphInputs, Map<String, InputSpec> declared)
            throws InvalidModelException {
        if (!graphInputs.keySet().equals(declared.keySet())) {
            throw new InvalidModelException("the graph takes " + graphInputs.size() + " inputs "
                    + graphInputs.keySet() + ", so the declared inputs must be exactly those; declared: "
                    + declared.keySet());
        }
        List<PerFeatureInputFeed.Column> columns = new ArrayList<>();
        for (Map.Entry<String, NodeInfo> input : graphInputs.entrySet()) {
            TensorInfo tensor = tensor(input.getKey(), input.getValue());
            long[] shape = tensor.getShape();
            boolean rowIsVector = shape.length == 2;
            if (!(shape.length == 1 || (rowIsVector && (shape[1] == 1 || shape[1] < 0)))) {
                throw new InvalidModelException("graph input '" + input.getKey() + "' is " + describe(tensor)
                        + "; an input per feature must be [N, 1] or [N]");
            }
            InputSpec field = declared.get(input.getKey());
            if (!field.required()) {
                throw new InvalidModelException("input '" + field.name() + "' is optional, but the graph needs a"
                        + " value for it in every instance; make it required");
            }
            if (!fits(field.type(), tensor.type)) {
                throw new InvalidModelException("input '" + field.name() + "' is declared "
                        + field.type().name().toLowerCase(Locale.ROOT)
                        + " but the graph takes " + describe(tensor) + "; declare "
                        + (tensor.type == OnnxJavaType.STRING ? "string" : tensor.type == OnnxJavaType.INT64
                        ? "integer" : "number"));
            }
            columns.add(new PerFeatureInputFeed.Column(input.getKey(), tensor.type, rowIsVector));
        }
        return new PerFeatureInputFeed(columns);
    }

    private static boolean fits(InputSpec.Type declared, OnnxJavaType graph) {
        return switch (graph) {
            case FLOAT, DOUBLE -> declared.isNumeric();
            case INT64 -> declared == InputSpec.Type.INTEGER;
            case STRING -> declared == InputSpec.Type.STRING;
            default -> false;
        };
    }

    private static void requireNumericAndRequired(InputSpec field) throws InvalidModelException {
        if (!field.type().isNumeric() || !field.required()) {
            throw new InvalidModelException("input '" + field.name() + "' feeds a numeric tensor, so it must be a"
                    + " required number or integer");
        }
    }

    private static TensorInfo tensor(String name, NodeInfo node) throws InvalidModelException {
        if (!(node.getInfo() instanceof TensorInfo tensor)) {
            throw new InvalidModelException("graph input '" + name + "' is " + node.getInfo()
                    + "; only tensor inputs can be fed");
        }
        return tensor;
    }

    private static List<String> strings(JsonNode node, String where) throws InvalidModelException {
        if (!node.isArray() || node.isEmpty()) {
            throw new InvalidModelException("'" + where + "' must be a non-empty array of strings");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode value : node) {
            if (!value.isTextual()) {
                throw new InvalidModelException("'" + where + "' must hold only strings, got " + value);
            }
            values.add(value.textValue());
        }
        if (new TreeSet<>(values).size() != values.size()) {
            throw new InvalidModelException("'" + where + "' names something twice: " + values);
        }
        return List.copyOf(values);
    }

    private static String describe(TensorInfo tensor) {
        String dims = Arrays.stream(tensor.getShape()).mapToObj(d -> d < 0 ? "N" : Long.toString(d))
                .collect(Collectors.joining(", "));
        return tensor.type.name().toLowerCase(java.util.Locale.ROOT) + " [" + dims + "]";
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException ignored) {
            // already failing with a better message
        }
    }
}
