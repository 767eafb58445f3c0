package com.simplemodelapi.bench;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.simplemodelapi.algorithm.Algorithms;
import com.simplemodelapi.app.DemoModels;
import com.simplemodelapi.app.SimpleModelApiApplication;
import com.simplemodelapi.common.JsonTrees;
import com.simplemodelapi.models.api.InputField;
import com.simplemodelapi.models.api.InputType;
import com.simplemodelapi.models.file.ModelDefinition;
import com.simplemodelapi.prediction.model.PredictRequest;
import com.simplemodelapi.spi.Evaluator;
import com.simplemodelapi.spi.InvalidModelException;
import com.simplemodelapi.spi.ModelSpec;
import io.dropwizard.jackson.Jackson;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static com.simplemodelapi.algorithm.onnx.OnnxGraphs.FLOAT;
import static com.simplemodelapi.algorithm.onnx.OnnxGraphs.ML_DOMAIN;
import static com.simplemodelapi.algorithm.onnx.OnnxGraphs.ML_OPSET;
import static com.simplemodelapi.algorithm.onnx.OnnxGraphs.STRING;
import static com.simplemodelapi.algorithm.onnx.OnnxGraphs.floatsAttr;
import static com.simplemodelapi.algorithm.onnx.OnnxGraphs.intAttr;
import static com.simplemodelapi.algorithm.onnx.OnnxGraphs.model;
import static com.simplemodelapi.algorithm.onnx.OnnxGraphs.node;
import static com.simplemodelapi.algorithm.onnx.OnnxGraphs.stringAttr;
import static com.simplemodelapi.algorithm.onnx.OnnxGraphs.stringsAttr;
import static com.simplemodelapi.algorithm.onnx.OnnxGraphs.tensor;

/**
 * The service's demo models (src/main/resources/demo), built as the catalog builds a stored model, plus the two
 * built-in demo models again as ONNX graphs (what skl2onnx exports for the same scikit-learn models), and records in
 * the JSON form a prediction request carries.
 */
final class DemoModelFixtures {
    /** Built-in linear regression, 3 inputs (one an integer). */
    static final String HOUSE_PRICE = "house-price";
    /** Built-in multinomial logistic regression, 4 inputs, 3 classes. */
    static final String IRIS_SPECIES = "iris-species";
    /** ONNX tree ensemble classifier with a ZipMap, 4 inputs, 3 classes: the demo's ONNX model. */
    static final String IRIS_TREES = "iris-trees";
    /** {@link #HOUSE_PRICE}'s coefficients as an ONNX LinearRegressor. */
    static final String HOUSE_PRICE_ONNX = "house-price-onnx";
    /** {@link #IRIS_SPECIES}'s coefficients as an ONNX LinearClassifier (softmax, probabilities as a tensor). */
    static final String IRIS_SPECIES_ONNX = "iris-species-onnx";

    private static final ObjectMapper JSON = SimpleModelApiApplication.configureJson(Jackson.newObjectMapper());

    private DemoModelFixtures() {
    }

    /** A model and the artifact it is built from (null for the built-in algorithms). */
    record Fixture(ModelDefinition definition, byte[] artifact) {
        Evaluator build() {
            try {
                return Algorithms.discover().build(definition.algorithm(), new ModelSpec(definition.name(),
                        InputField.toSpecs(definition.inputs()), JsonTrees.toMap(definition.parameters()),
                        Optional.ofNullable(artifact)));
            } catch (InvalidModelException e) {
                throw new IllegalStateException(definition.name() + ": " + e.getMessage(), e);
            }
        }
    }

    static Fixture fixture(String name) {
        return switch (name) {
            case HOUSE_PRICE -> new Fixture(read("/demo/house-price.json"), null);
            case IRIS_SPECIES -> new Fixture(read("/demo/iris-species.json"), null);
            case IRIS_TREES -> new Fixture(read("/demo/iris-trees.json"), DemoModels.irisTrees());
            case HOUSE_PRICE_ONNX -> {
                ModelDefinition builtIn = read("/demo/house-price.json");
                yield new Fixture(asOnnx(builtIn), linearRegressor(builtIn));
            }
            case IRIS_SPECIES_ONNX -> {
                ModelDefinition builtIn = read("/demo/iris-species.json");
                yield new Fixture(asOnnx(builtIn), linearClassifier(builtIn));
            }
            default -> throw new IllegalArgumentException("No demo model '" + name + "'");
        };
    }

    /** The built-in model an ONNX graph here was made from, if it was made from one. */
    static Optional<String> builtInTwin(String name) {
        return switch (name) {
            case HOUSE_PRICE_ONNX -> Optional.of(HOUSE_PRICE);
            case IRIS_SPECIES_ONNX -> Optional.of(IRIS_SPECIES);
            default -> Optional.empty();
        };
    }

    /**
     * Whether two predictions agree: labels equal, numbers (probabilities among them) within float precision, as
     * an ONNX graph computes in float what a built-in model computes in double.
     */
    static boolean agree(Object expected, Object actual) {
        if (expected instanceof Number e && actual instanceof Number a) {
            return Math.abs(e.doubleValue() - a.doubleValue()) <= 1e-4 * Math.max(1, Math.abs(e.doubleValue()));
        }
        if (expected instanceof Map<?, ?> e && actual instanceof Map<?, ?> a) {
            return e.keySet().equals(a.keySet()) && e.keySet().stream().allMatch(key -> agree(e.get(key), a.get(key)));
        }
        return expected.equals(actual);
    }

    /**
     * {@code count} records for the model's inputs, drawn with a fixed seed from the ranges of the iris data set
     * and of plausible houses, parsed from a request body as the service parses one.
     */
    static List<Map<String, JsonNode>> records(ModelDefinition model, int count) {
        Random random = new Random(42);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode instances = body.putArray("instances");
        for (int i = 0; i < count; i++) {
            ObjectNode record = instances.addObject();
            for (InputField input : model.inputs()) {
                double[] range = range(input.name());
                double value = range[0] + random.nextDouble() * (range[1] - range[0]);
                if (input.type() == InputType.INTEGER) {
                    record.put(input.name(), Math.round(value));
                } else {
                    record.put(input.name(), Math.round(value * 10) / 10.0);
                }
            }
        }
        try {
            return JSON.readValue(JSON.writeValueAsBytes(body), PredictRequest.class).instances();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double[] range(String input) {
        return switch (input) {
            case "sepal_length" -> new double[]{4.3, 7.9};
            case "sepal_width" -> new double[]{2.0, 4.4};
            case "petal_length" -> new double[]{1.0, 6.9};
            case "petal_width" -> new double[]{0.1, 2.5};
            case "rooms" -> new double[]{1, 8};
            case "area_m2" -> new double[]{30, 250};
            case "age_years" -> new double[]{0, 100};
            default -> throw new IllegalArgumentException("No value range for input '" + input + "'");
        };
    }

    private static ModelDefinition read(String resource) {
        try (InputStream in = DemoModelFixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path");
            }
            return JSON.readValue(in, ModelDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
    }

    private static ModelDefinition asOnnx(ModelDefinition builtIn) {
        ObjectNode parameters = JsonNodeFactory.instance.objectNode();
        ArrayNode order = parameters.putArray("feature_order");
        builtIn.inputs().forEach(input -> order.add(input.name()));
        return new ModelDefinition(builtIn.name() + "-onnx", builtIn.description(), "onnx", builtIn.inputs(),
                parameters, builtIn.name() + ".onnx");
    }

    /** skl2onnx's LinearRegression: {@code float_input} [N, F] to {@code variable} [N, 1]. */
    private static byte[] linearRegressor(ModelDefinition builtIn) {
        JsonNode parameters = builtIn.parameters();
        int features = builtIn.inputs().size();
        NodeProto regressor = node("LinearRegressor", ML_DOMAIN, List.of("float_input"), List.of("variable"),
                floatsAttr("coefficients", row(parameters.get("coefficients"), builtIn.inputs())),
                floatsAttr("intercepts", (float) parameters.get("intercept").doubleValue()),
                intAttr("targets", 1));
        GraphProto graph = GraphProto.newBuilder()
                .setName("house_price")
                .addInput(tensor("float_input", FLOAT, features))
                .addNode(regressor)
                .addOutput(tensor("variable", FLOAT, 1))
                .build();
        return model("simple-model-api bench", graph, ML_OPSET);
    }

    /**
     * skl2onnx's multinomial LogisticRegression with {@code zipmap=False}: {@code float_input} [N, F] to
     * {@code label} string [N] and {@code probabilities} float [N, classes].
     */
    private static byte[] linearClassifier(ModelDefinition builtIn) {
        JsonNode parameters = builtIn.parameters();
        List<Float> coefficients = new ArrayList<>();
        parameters.get("coefficients").forEach(row -> coefficients.addAll(row(row, builtIn.inputs())));
        List<Float> intercepts = new ArrayList<>();
        parameters.get("intercepts").forEach(value -> intercepts.add((float) value.doubleValue()));
        List<String> classes = new ArrayList<>();
        parameters.get("classes").forEach(value -> classes.add(value.textValue()));
        NodeProto classifier = node("LinearClassifier", ML_DOMAIN, List.of("float_input"),
                List.of("label", "probabilities"),
                floatsAttr("coefficients", coefficients),
                floatsAttr("intercepts", intercepts),
                stringsAttr("classlabels_strings", classes.toArray(String[]::new)),
                stringAttr("post_transform", "SOFTMAX"),
                intAttr("multi_class", 1));
        GraphProto graph = GraphProto.newBuilder()
                .setName("iris_species")
                .addInput(tensor("float_input", FLOAT, builtIn.inputs().size()))
                .addNode(classifier)
                .addOutput(tensor("label", STRING))
                .addOutput(tensor("probabilities", FLOAT, classes.size()))
                .build();
        return model("simple-model-api bench", graph, ML_OPSET);
    }

    private static List<Float> row(JsonNode coefficients, List<InputField> inputs) {
        return inputs.stream().map(input -> (float) coefficients.get(input.name()).doubleValue()).toList();
    }
}
