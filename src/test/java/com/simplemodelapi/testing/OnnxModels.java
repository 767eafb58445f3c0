package com.simplemodelapi.testing;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.simplemodelapi.algorithm.onnx.OnnxGraphs;
import com.simplemodelapi.app.DemoModels;
import com.simplemodelapi.algorithm.onnx.OnnxGraphs.Trees;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static com.simplemodelapi.algorithm.onnx.OnnxGraphs.*;

/**
 * Small ONNX models built in code, so that no binary model file has to be downloaded or committed.
 *
 * <p>Every method returns a serialized {@code ModelProto} ({@code ir_version} 8, default-domain opset 17, plus
 * {@code ai.onnx.ml} opset 3 when ML operators are used). The first dimension of every input and output is the
 * symbolic batch dimension {@code "N"}. The javadoc of each method gives the formula the model computes;
 * {@code OnnxModelsTest} checks each one in ONNX Runtime against values worked out by hand.
 */
public final class OnnxModels {
    public static final String PRODUCER = "simple-model-api-tests";


    private OnnxModels() {
    }

    // ------------------------------------------------------------------------------------------------------------
    // Good models
    // ------------------------------------------------------------------------------------------------------------

    /**
     * Linear regression: input {@code float_input} float [N,3] = (a, b, c); output {@code variable} float [N,1].
     * <pre>variable = 1 + 2a - 3b + 0.5c</pre>
     * (MatMul with W [3,1] = {2, -3, 0.5}, then Add with B [1] = {1}.)
     */
    public static byte[] linearRegressor() {
        return linearRegressorExpecting(3);
    }

    /**
     * The {@link #linearRegressor()} graph, but declaring {@code features} input columns: input {@code float_input}
     * float [N,features], W [features,1] whose first weights are 2, -3, 0.5 (as many as fit) and whose further
     * weights are all 1, B = {1}. So with 4 features, {@code variable = 1 + 2a - 3b + 0.5c + d}.
     * <p>The model is valid and loads; it is meant for callers that need a model whose feature count does not match
     * what they send (ONNX Runtime rejects a [N,3] input for a model built with 4 features when it runs).
     */
    public static byte[] linearRegressorExpecting(int features) {
        if (features < 1) {
            throw new IllegalArgumentException("features must be at least 1");
        }
        float[] first = {2f, -3f, 0.5f};
        float[] weights = new float[features];
        for (int i = 0; i < features; i++) {
            weights[i] = i < first.length ? first[i] : 1f;
        }
        GraphProto graph = GraphProto.newBuilder()
                .setName("linear_regressor")
                .addInput(tensor("float_input", FLOAT, features))
                .addInitializer(floats("W", new long[]{features, 1}, weights))
                .addInitializer(floats("B", new long[]{1}, 1f))
                .addNode(node("MatMul", "", List.of("float_input", "W"), List.of("xw")))
                .addNode(node("Add", "", List.of("xw", "B"), List.of("variable")))
                .addOutput(tensor("variable", FLOAT, 1))
                .build();
        return model(graph);
    }

    /**
     * Three-class linear (softmax) classifier: input {@code float_input} float [N,2] = (x1, x2); outputs
     * {@code label} string [N] and {@code probabilities} float [N,3] in class order a, b, c.
     * <pre>
     * score_a =  x1 - x2 + 0.5
     * score_b =  0
     * score_c = -x1 + x2 - 0.5      (= -score_a)
     * probabilities = softmax(score_a, score_b, score_c)
     * label = class with the highest score
     * </pre>
     * For example (0,0) gives scores (0.5, 0, -0.5), probabilities (0.5065, 0.3072, 0.1863), label "a".
     * Because score_c = -score_a, "b" only ever ties, never wins: rows give "a" when x1 - x2 > -0.5 and "c" when
     * x1 - x2 < -0.5.
     */
    public static byte[] logisticClassifier() {
        NodeProto classifier = node("LinearClassifier", ML_DOMAIN, List.of("float_input"),
                List.of("label", "probabilities"),
                floatsAttr("coefficients", 1f, -1f, 0f, 0f, -1f, 1f),
                floatsAttr("intercepts", 0.5f, 0f, -0.5f),
                stringsAttr("classlabels_strings", "a", "b", "c"),
                stringAttr("post_transform", "SOFTMAX"),
                intAttr("multi_class", 0));
        GraphProto graph = GraphProto.newBuilder()
                .setName("logistic_classifier")
                .addInput(tensor("float_input", FLOAT, 2))
                .addNode(classifier)
                .addOutput(tensor("label", STRING))
                .addOutput(tensor("probabilities", FLOAT, 3))
                .build();
        return model(graph, ML_OPSET);
    }

    /**
     * The {@link #logisticClassifier()} with integer class labels 10, 20, 30 (classlabels_int64s) in place of
     * "a", "b", "c": output {@code label} int64 [N], {@code probabilities} float [N,3].
     */
    public static byte[] logisticClassifierWithIntegerLabels() {
        NodeProto classifier = node("LinearClassifier", ML_DOMAIN, List.of("float_input"),
                List.of("label", "probabilities"),
                floatsAttr("coefficients", 1f, -1f, 0f, 0f, -1f, 1f),
                floatsAttr("intercepts", 0.5f, 0f, -0.5f),
                intsAttr("classlabels_ints", List.of(10L, 20L, 30L)),
                stringAttr("post_transform", "SOFTMAX"),
                intAttr("multi_class", 0));
        GraphProto graph = GraphProto.newBuilder()
                .setName("logistic_classifier_int_labels")
                .addInput(tensor("float_input", FLOAT, 2))
                .addNode(classifier)
                .addOutput(tensor("label", INT64))
                .addOutput(tensor("probabilities", FLOAT, 3))
                .build();
        return model(graph, ML_OPSET);
    }

    /**
     * Two outputs that fit none of the usual shapes: input {@code float_input} float [N,2] = (a, b); outputs
     * {@code doubled} float [N,2] = (2a, 2b) and {@code total} float [N,1] = a + b.
     */
    public static byte[] twoPlainOutputs() {
        GraphProto graph = GraphProto.newBuilder()
                .setName("two_outputs")
                .addInput(tensor("float_input", FLOAT, 2))
                .addInitializer(floats("two", new long[]{1}, 2f))
                .addInitializer(floats("ones", new long[]{2, 1}, 1f, 1f))
                .addNode(node("Mul", "", List.of("float_input", "two"), List.of("doubled")))
                .addNode(node("MatMul", "", List.of("float_input", "ones"), List.of("total")))
                .addOutput(tensor("doubled", FLOAT, 2))
                .addOutput(tensor("total", FLOAT, 1))
                .build();
        return model(graph);
    }

    /**
     * Two-tree binary classifier with a ZipMap: input {@code float_input} float [N,2] = (x0, x1); outputs
     * {@code output_label} string [N] ("no"/"yes") and {@code output_probability} seq(map(string,float)).
     * <p>Each leaf carries one weight, half of P(yes); TreeEnsembleClassifier sums them over both trees
     * (post_transform NONE). This is the binary encoding ONNX Runtime expects (the one skl2onnx writes): with two
     * class labels and all leaf weights under a single class id (0) and non-negative, the summed score s is taken
     * as P(second label), probabilities come out as (1 - s, s) and the label is "yes" exactly when s &gt; 0.5.
     * (Giving both classes their own weights does not work in ONNX Runtime: it then labels a row "yes" whenever
     * the "yes" score is above 0, whatever the "no" score.)
     * <pre>
     * tree 0: x0 &lt;= 0.5 ? 0.10 : 0.40
     * tree 1: x1 &lt;= 0   ? 0.00 : (x0 &lt;= 2 ? 0.25 : 0.50)
     *
     *  x0         x1     | P(no)  P(yes) | label
     *  &lt;= 0.5     &lt;= 0   | 0.90   0.10   | no
     *  &lt;= 0.5     &gt; 0    | 0.65   0.35   | no
     *  (0.5, 2]   &lt;= 0   | 0.60   0.40   | no
     *  (0.5, 2]   &gt; 0    | 0.35   0.65   | yes
     *  &gt; 2       &lt;= 0   | 0.60   0.40   | no
     *  &gt; 2       &gt; 0    | 0.10   0.90   | yes
     * </pre>
     */
    public static byte[] treeEnsembleClassifierWithZipMap() {
        Trees trees = new Trees()
                .branch(0, 0, 0, 0.5f, 1, 2)
                .leaf(0, 1, 0.10f)
                .leaf(0, 2, 0.40f)
                .branch(1, 0, 1, 0f, 1, 2)
                .leaf(1, 1, 0.00f)
                .branch(1, 2, 0, 2f, 3, 4)
                .leaf(1, 3, 0.25f)
                .leaf(1, 4, 0.50f);
        return treeClassifierWithZipMap("tree_classifier", 2, trees, "no", "yes");
    }

    /**
     * Iris decision tree (one tree, post_transform NONE) with a ZipMap: input {@code float_input} float [N,4] =
     * (sepal_length, sepal_width, petal_length, petal_width); outputs {@code output_label} string [N] and
     * {@code output_probability} seq(map(string,float)) keyed "setosa", "versicolor", "virginica".
     * <pre>
     * petal_length &lt;= 2.45                        -&gt; setosa 1.0,  versicolor 0.0,  virginica 0.0   label setosa
     * petal_length &gt; 2.45 and petal_width &lt;= 1.75 -&gt; setosa 0.0,  versicolor 0.9,  virginica 0.1   label versicolor
     * petal_length &gt; 2.45 and petal_width &gt; 1.75  -&gt; setosa 0.0,  versicolor 0.05, virginica 0.95  label virginica
     * </pre>
     * e.g. (5.1, 3.5, 1.4, 0.2) is setosa, (5.9, 3.0, 4.2, 1.5) versicolor, (6.3, 3.3, 6.0, 2.5) virginica.
     * Both splits are "less than or equal", so petal_length exactly 2.45 is setosa.
     */
    public static byte[] irisTreeEnsemble() {
        return DemoModels.irisTrees();
    }

    /**
     * Gradient-boosted-style regressor: input {@code float_input} float [N,2] = (x0, x1); output {@code variable}
     * float [N,1]. TreeEnsembleRegressor, aggregate_function SUM, base_values {0.5}, n_targets 1:
     * <pre>
     * variable = 0.5 + tree0 + tree1 + tree2
     * tree 0: x0 &lt;= 1 ? 1.0 : -1.0
     * tree 1: x1 &lt;= 0 ? (x0 &lt;= -1 ? 0.25 : 0.5) : 2.0
     * tree 2: x1 &lt;= 5 ? 0.125 : -0.375
     * </pre>
     * e.g. (0,0) -&gt; 0.5 + 1 + 0.5 + 0.125 = 2.125; (3,10) -&gt; 0.5 - 1 + 2 - 0.375 = 1.125.
     */
    public static byte[] treeEnsembleRegressor() {
        Trees trees = new Trees()
                .branch(0, 0, 0, 1f, 1, 2)
                .leaf(0, 1, 1.0f)
                .leaf(0, 2, -1.0f)
                .branch(1, 0, 1, 0f, 1, 2)
                .branch(1, 1, 0, -1f, 3, 4)
                .leaf(1, 2, 2.0f)
                .leaf(1, 3, 0.25f)
                .leaf(1, 4, 0.5f)
                .branch(2, 0, 1, 5f, 1, 2)
                .leaf(2, 1, 0.125f)
                .leaf(2, 2, -0.375f);
        List<AttributeProto> attributes = new ArrayList<>(trees.attributes("target_"));
        attributes.add(intAttr("n_targets", 1));
        attributes.add(stringAttr("aggregate_function", "SUM"));
        attributes.add(floatsAttr("base_values", 0.5f));
        attributes.add(stringAttr("post_transform", "NONE"));
        GraphProto graph = GraphProto.newBuilder()
                .setName("tree_regressor")
                .addInput(tensor("float_input", FLOAT, 2))
                .addNode(node("TreeEnsembleRegressor", ML_DOMAIN, List.of("float_input"), List.of("variable"),
                        attributes.toArray(AttributeProto[]::new)))
                .addOutput(tensor("variable", FLOAT, 1))
                .build();
        return model(graph, ML_OPSET);
    }

    /**
     * One input per feature, one of them a string: inputs {@code x} float [N,1] and {@code colour} string [N,1];
     * output {@code variable} float [N,1].
     * <pre>
     * encoded  = LabelEncoder(colour): red -&gt; 1, green -&gt; 2, blue -&gt; 3, anything else -&gt; 0
     * variable = x * 10 + encoded
     * </pre>
     * e.g. (x 1.5, "green") -&gt; 17; (x 2, "purple") -&gt; 20.
     */
    public static byte[] perFeatureInputs() {
        GraphProto graph = GraphProto.newBuilder()
                .setName("per_feature_inputs")
                .addInput(tensor("x", FLOAT, 1))
                .addInput(tensor("colour", STRING, 1))
                .addInitializer(floats("ten", new long[]{1}, 10f))
                .addNode(node("LabelEncoder", ML_DOMAIN, List.of("colour"), List.of("encoded"),
                        stringsAttr("keys_strings", "red", "green", "blue"),
                        floatsAttr("values_floats", 1f, 2f, 3f),
                        floatAttr("default_float", 0f)))
                .addNode(node("Mul", "", List.of("x", "ten"), List.of("x_times_ten")))
                .addNode(node("Add", "", List.of("x_times_ten", "encoded"), List.of("variable")))
                .addOutput(tensor("variable", FLOAT, 1))
                .build();
        return model(graph, ML_OPSET);
    }

    /**
     * One input per feature, int64 and double: inputs {@code count} int64 [N,1] and {@code x} double [N,1];
     * output {@code variable} double [N,1].
     * <pre>variable = double(count) + 2x</pre>
     * e.g. (count 3, x 0.25) -&gt; 3.5.
     */
    public static byte[] perFeatureInputsInt64() {
        GraphProto graph = GraphProto.newBuilder()
                .setName("per_feature_inputs_int64")
                .addInput(tensor("count", INT64, 1))
                .addInput(tensor("x", DOUBLE, 1))
                .addInitializer(TensorProto.newBuilder().setName("two").setDataType(DOUBLE).addDims(1).addDoubleData(2.0))
                .addNode(node("Cast", "", List.of("count"), List.of("count_double"), intAttr("to", DOUBLE)))
                .addNode(node("Mul", "", List.of("x", "two"), List.of("two_x")))
                .addNode(node("Add", "", List.of("count_double", "two_x"), List.of("variable")))
                .addOutput(tensor("variable", DOUBLE, 1))
                .build();
        return model(graph);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Bad models
    // ------------------------------------------------------------------------------------------------------------

    /** The first half of {@link #linearRegressor()}'s bytes: not a loadable model. */
    public static byte[] truncated() {
        byte[] whole = linearRegressor();
        return Arrays.copyOf(whole, whole.length / 2);
    }

    /** 2 KiB of pseudo-random bytes (fixed seed 42, so always the same bytes): not a loadable model. */
    public static byte[] randomBytes() {
        byte[] bytes = new byte[2048];
        new Random(42).nextBytes(bytes);
        return bytes;
    }

    /**
     * A well-formed model that ONNX Runtime refuses to load: input {@code float_input} float [N,1] goes through a
     * node of op_type {@code NoSuchOp} in custom domain {@code com.example} (imported at version 1), which no
     * runtime implements.
     */
    public static byte[] unsupportedOperator() {
        GraphProto graph = GraphProto.newBuilder()
                .setName("unsupported_operator")
                .addInput(tensor("float_input", FLOAT, 1))
                .addNode(node("NoSuchOp", "com.example", List.of("float_input"), List.of("variable")))
                .addOutput(tensor("variable", FLOAT, 1))
                .build();
        return model(graph, opset("com.example", 1));
    }

    private static byte[] model(GraphProto graph, OperatorSetIdProto... furtherOpsets) {
        return OnnxGraphs.model(PRODUCER, graph, furtherOpsets);
    }

    private static byte[] treeClassifierWithZipMap(String name, int features, Trees trees, String... labels) {
        return OnnxGraphs.treeClassifierWithZipMap(PRODUCER, name, features, trees, labels);
    }
}
