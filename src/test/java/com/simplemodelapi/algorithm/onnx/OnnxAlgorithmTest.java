package com.simplemodelapi.algorithm.onnx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplemodelapi.spi.AlgorithmContext;
import com.simplemodelapi.spi.Evaluator;
import com.simplemodelapi.spi.InputSpec;
import com.simplemodelapi.spi.InvalidModelException;
import com.simplemodelapi.spi.OutputSpec;
import com.simplemodelapi.testing.ModelSpecs;
import com.simplemodelapi.testing.OnnxModels;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The {@code onnx} algorithm on the small graphs of {@link OnnxModels}. Expected values are worked out by hand from
 * each model's javadoc formula; the graphs compute in float32, hence the 1e-6 tolerance.
 */
class OnnxAlgorithmTest {
    private static final double EPS = 1e-6;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OnnxAlgorithm algorithm = new OnnxAlgorithm();

    // ------------------------------------------------------------------------------------------------------------
    // Linear regressor: one [N, 3] float input, variable = 1 + 2a - 3b + 0.5c
    // ------------------------------------------------------------------------------------------------------------

    @Nested
    class LinearRegressor {

        @Test
        void columnsFollowFeatureOrderNotTheDeclaredOrder() throws InvalidModelException {
            // Declared c, b, a; feature_order a, b, c puts a in column 0 (weight 2), b in 1 (-3), c in 2 (0.5).
            try (Evaluator evaluator = algorithm.build(ModelSpecs.of(numbers("c", "b", "a"),
                    params("{\"feature_order\": [\"a\", \"b\", \"c\"]}"), OnnxModels.linearRegressor()),
                    ModelSpecs.CONTEXT)) {
                // a 2, b -1, c 4: 1 + 4 + 3 + 2 = 10. (Declared order would give columns (4, -1, 2): 13.)
                assertPrediction(evaluator.predictBatch(List.of(Map.of("a", 2.0, "b", -1.0, "c", 4.0))).get(0), 10.0);
                // a 1, b 0, c 0: 1 + 2 = 3. (Declared order would put the 1 in column 2: 1 + 0.5 = 1.5.)
                assertPrediction(evaluator.predictBatch(List.of(Map.of("a", 1.0, "b", 0.0, "c", 0.0))).get(0), 3.0);
                // only c: 1 + 0.5 * 6 = 4. (Declared order would put it in column 0: 1 + 12 = 13.)
                assertPrediction(evaluator.predictBatch(List.of(Map.of("a", 0.0, "b", 0.0, "c", 6.0))).get(0), 4.0);
            }
        }

        @Test
        void withoutFeatureOrderColumnsFollowTheDeclaredOrder() throws InvalidModelException {
            try (Evaluator evaluator = algorithm.build(ModelSpecs.of(numbers("a", "b", "c"), params("{}"),
                    OnnxModels.linearRegressor()), ModelSpecs.CONTEXT)) {
                assertPrediction(evaluator.predictBatch(List.of(Map.of("a", 2.0, "b", -1.0, "c", 4.0))).get(0),
                        10.0); // 1 + 4 + 3 + 2
                assertPrediction(evaluator.predictBatch(List.of(Map.of("a", 1.0, "b", 1.0, "c", 1.0))).get(0),
                        0.5);   // 1 + 2 - 3 + 0.5
            }
            // Declared c, b, a without feature_order: c is column 0, b column 1, a column 2.
            try (Evaluator evaluator = algorithm.build(ModelSpecs.of(numbers("c", "b", "a"), params("{}"),
                    OnnxModels.linearRegressor()), ModelSpecs.CONTEXT)) {
                // columns (c 4, b -1, a 2): 1 + 8 + 3 + 1 = 13
                assertPrediction(evaluator.predictBatch(List.of(Map.of("a", 2.0, "b", -1.0, "c", 4.0))).get(0), 13.0);
            }
        }

        @Test
        void integerInputsFeedTheFloatMatrixToo() throws InvalidModelException {
            List<InputSpec> inputs = List.of(field("a", InputSpec.Type.INTEGER), field("b", InputSpec.Type.NUMBER),
                    field("c", InputSpec.Type.INTEGER));
            try (Evaluator evaluator = algorithm.build(ModelSpecs.of(inputs, params("{}"),
                    OnnxModels.linearRegressor()), ModelSpecs.CONTEXT)) {
                // a 2, b 0.5, c 3: 1 + 4 - 1.5 + 1.5 = 5
                assertPrediction(evaluator.predictBatch(List.of(Map.of("a", 2L, "b", 0.5, "c", 3L))).get(0), 5.0);
            }
        }

        @Test
        void outputsAPredictionNumber() throws InvalidModelException {
            try (Evaluator evaluator = algorithm.build(ModelSpecs.of(numbers("a", "b", "c"), params("{}"),
                    OnnxModels.linearRegressor()), ModelSpecs.CONTEXT)) {
                assertThat(evaluator.outputs()).containsExactly(new OutputSpec("prediction", OutputSpec.Type.NUMBER));
                assertThat(evaluator.predictBatch(List.of(Map.of("a", 0.0, "b", 0.0, "c",
                        0.0))).get(0)).containsOnlyKeys("prediction");
            }
        }

        @Test
        void aBatchOfThreeInOneCallGivesThreeRowsInOrder() throws InvalidModelException {
            try (Evaluator evaluator = algorithm.build(ModelSpecs.of(numbers("a", "b", "c"),
                    params("{\"feature_order\": [\"a\", \"b\", \"c\"]}"), OnnxModels.linearRegressor()),
                    ModelSpecs.CONTEXT)) {
                List<Map<String, Object>> predictions = evaluator.predictBatch(List.of(
                        Map.of("a", 0.0, "b", 0.0, "c", 0.0),    // 1
                        Map.of("a", 2.0, "b", -1.0, "c", 4.0),   // 1 + 4 + 3 + 2 = 10
                        Map.of("a", 0.5, "b", 2.0, "c", -2.0))); // 1 + 1 - 6 - 1 = -5
                assertThat(predictions).hasSize(3);
                assertPrediction(predictions.get(0), 1.0);
                assertPrediction(predictions.get(1), 10.0);
                assertPrediction(predictions.get(2), -5.0);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Logistic classifier: [N, 2] float input; label string, probabilities for a, b, c
    // ------------------------------------------------------------------------------------------------------------

    @Nested
    class LogisticClassifier {

        @Test
        void outputsLabelAndProbabilitiesNamedByTheGraphsClassLabels() throws InvalidModelException {
            try (Evaluator evaluator = algorithm.build(ModelSpecs.of(numbers("x1", "x2"), params("{}"),
                    OnnxModels.logisticClassifier()), ModelSpecs.CONTEXT)) {
                assertThat(evaluator.outputs()).containsExactly(new OutputSpec("label", OutputSpec.Type.STRING),
                        new OutputSpec("probabilities", OutputSpec.Type.OBJECT, List.of("a", "b", "c")));

                List<Map<String, Object>> predictions = evaluator.predictBatch(List.of(
                        Map.of("x1", 0.0, "x2", 0.0),   // s = 0.5  -> "a"
                        Map.of("x1", 2.0, "x2", 1.0),   // s = 1.5  -> "a"
                        Map.of("x1", 0.0, "x2", 2.0))); // s = -1.5 -> "c"

                // softmax(s, 0, -s) = (e^s, 1, e^-s) / (e^s + 1 + e^-s)
                // s = 0.5: e^0.5 = 1.648721, e^-0.5 = 0.606531, sum 3.255252 -> (0.506480, 0.307196, 0.186324)
                // s = 1.5: e^1.5 = 4.481689, e^-1.5 = 0.223130, sum 5.704819 -> (0.785597, 0.175290, 0.039113)
                assertClassification(predictions.get(0), "a", softmaxOfPlusZeroMinus(0.5));
                assertClassification(predictions.get(1), "a", softmaxOfPlusZeroMinus(1.5));
                assertClassification(predictions.get(2), "c", softmaxOfPlusZeroMinus(-1.5));
                assertProbability(predictions.get(0), "a", 0.506480, 1e-5);
                assertProbability(predictions.get(0), "b", 0.307196, 1e-5);
                assertProbability(predictions.get(0), "c", 0.186324, 1e-5);

                for (Map<String, Object> prediction : predictions) {
                    Map<String, Object> probabilities = probabilities(prediction);
                    assertThat(probabilities.keySet()).containsExactly("a", "b", "c");
                    double sum = probabilities.values().stream().mapToDouble(p -> (Double) p).sum();
                    assertThat(sum).isCloseTo(1.0, within(EPS));
                }
            }
        }

        @Test
        void classesEqualToTheGraphsLabelsAreAccepted() throws InvalidModelException {
            try (Evaluator evaluator = algorithm.build(ModelSpecs.of(numbers("x1", "x2"),
                    params("{\"classes\": [\"a\", \"b\", \"c\"]}"), OnnxModels.logisticClassifier()),
                    ModelSpecs.CONTEXT)) {
                assertThat(probabilities(evaluator.predictBatch(List.of(Map.of("x1", 0.0, "x2", 0.0))).get(0)).keySet())
                        .containsExactly("a", "b", "c");
            }
        }

        @Test
        void classesThatDifferFromTheGraphsLabelsAreRejected() {
            assertRejected(numbers("x1", "x2"), "{\"classes\": [\"x\", \"y\", \"z\"]}", OnnxModels.logisticClassifier())
                    .contains("'classes'").contains("[x, y, z]").contains("[a, b, c]");
            // same names, another order: still not the graph's
            assertRejected(numbers("x1", "x2"), "{\"classes\": [\"c\", \"b\", \"a\"]}", OnnxModels.logisticClassifier())
                    .contains("'classes'").contains("[a, b, c]");
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Tree ensemble classifier with ZipMap: [N, 2] float input; output_label, output_probability (no, yes)
    // ------------------------------------------------------------------------------------------------------------

    @Nested
    class TreeEnsembleClassifierWithZipMap {

        @Test
        void oneInstance() throws InvalidModelException {
            try (Evaluator evaluator = build()) {
                assertThat(evaluator.outputs()).containsExactly(new OutputSpec("label", OutputSpec.Type.STRING),
                        new OutputSpec("probabilities", OutputSpec.Type.OBJECT, List.of("no", "yes")));
                // x0 0.3 <= 0.5: (0.40, 0.10); x1 -1 <= 0: (0.50, 0.00) -> (0.90, 0.10) "no"
                assertNoYes(evaluator.predictBatch(List.of(Map.of("x0", 0.3, "x1", -1.0))).get(0), "no", 0.9, 0.1);
                // x0 3 > 0.5: (0.10, 0.40); x1 1 > 0, x0 3 > 2: (0.00, 0.50) -> (0.10, 0.90) "yes"
                assertNoYes(evaluator.predictBatch(List.of(Map.of("x0", 3.0, "x1", 1.0))).get(0), "yes", 0.1, 0.9);
            }
        }

        @Test
        void aBatchCoveringEveryRowOfTheTable() throws InvalidModelException {
            try (Evaluator evaluator = build()) {
                List<Map<String, Object>> predictions = evaluator.predictBatch(List.of(
                        Map.of("x0", 0.3, "x1", -1.0),  // <= 0.5,    <= 0 -> 0.90 0.10 no
                        Map.of("x0", 0.0, "x1", 1.0),   // <= 0.5,    > 0  -> 0.65 0.35 no
                        Map.of("x0", 1.0, "x1", 0.0),   // (0.5, 2],  <= 0 -> 0.60 0.40 no
                        Map.of("x0", 1.5, "x1", 2.0),   // (0.5, 2],  > 0  -> 0.35 0.65 yes
                        Map.of("x0", 5.0, "x1", -3.0),  // > 2,       <= 0 -> 0.60 0.40 no
                        Map.of("x0", 3.0, "x1", 1.0))); // > 2,       > 0  -> 0.10 0.90 yes
                assertThat(predictions).hasSize(6);
                assertNoYes(predictions.get(0), "no", 0.90, 0.10);
                assertNoYes(predictions.get(1), "no", 0.65, 0.35);
                assertNoYes(predictions.get(2), "no", 0.60, 0.40);
                assertNoYes(predictions.get(3), "yes", 0.35, 0.65);
                assertNoYes(predictions.get(4), "no", 0.60, 0.40);
                assertNoYes(predictions.get(5), "yes", 0.10, 0.90);
            }
        }

        private Evaluator build() throws InvalidModelException {
            return algorithm.build(ModelSpecs.of(numbers("x0", "x1"), params("{\"feature_order\": [\"x0\", \"x1\"]}"),
                    OnnxModels.treeEnsembleClassifierWithZipMap()), ModelSpecs.CONTEXT);
        }

        private void assertNoYes(Map<String, Object> prediction, String label, double no, double yes) {
            assertThat(prediction.get("label")).isEqualTo(label);
            Map<String, Object> probabilities = probabilities(prediction);
            assertThat(probabilities.keySet()).containsExactly("no", "yes");
            assertProbability(prediction, "no", no, EPS);
            assertProbability(prediction, "yes", yes, EPS);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Tree ensemble regressor: variable = 0.5 + tree0 + tree1 + tree2
    // ------------------------------------------------------------------------------------------------------------

    @Test
    void treeEnsembleRegressorSumsTheTreesAndTheBase() throws InvalidModelException {
        try (Evaluator evaluator = algorithm.build(ModelSpecs.of(numbers("x0", "x1"), params("{}"),
                OnnxModels.treeEnsembleRegressor()), ModelSpecs.CONTEXT)) {
            assertThat(evaluator.outputs()).containsExactly(new OutputSpec("prediction", OutputSpec.Type.NUMBER));
            List<Map<String, Object>> predictions = evaluator.predictBatch(List.of(
                    Map.of("x0", 0.0, "x1", 0.0),    // 0.5 + 1 + 0.5 + 0.125    = 2.125
                    Map.of("x0", 3.0, "x1", 10.0),   // 0.5 - 1 + 2 - 0.375      = 1.125
                    Map.of("x0", -2.0, "x1", -1.0),  // 0.5 + 1 + 0.25 + 0.125   = 1.875
                    Map.of("x0", 1.0, "x1", 5.0),    // 0.5 + 1 + 2 + 0.125      = 3.625 (both splits equal: <=)
                    Map.of("x0", 2.0, "x1", 0.0),    // 0.5 - 1 + 0.5 + 0.125    = 0.125
                    Map.of("x0", -1.0, "x1", 6.0))); // 0.5 + 1 + 2 - 0.375      = 3.125
            double[] expected = {2.125, 1.125, 1.875, 3.625, 0.125, 3.125};
            assertThat(predictions).hasSize(expected.length);
            for (int i = 0; i < expected.length; i++) {
                assertPrediction(predictions.get(i), expected[i]);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // One graph input per feature
    // ------------------------------------------------------------------------------------------------------------

    @Nested
    class PerFeatureInputs {

        @Test
        void aNumberAndAStringFedByName() throws InvalidModelException {
            List<InputSpec> inputs = List.of(field("x", InputSpec.Type.NUMBER), field("colour", InputSpec.Type.STRING));
            try (Evaluator evaluator = algorithm.build(ModelSpecs.of(inputs, params("{}"),
                    OnnxModels.perFeatureInputs()), ModelSpecs.CONTEXT)) {
                assertThat(evaluator.outputs()).containsExactly(new OutputSpec("prediction", OutputSpec.Type.NUMBER));
                List<Map<String, Object>> predictions = evaluator.predictBatch(List.of(
                        Map.of("x", 1.5, "colour", "green"),   // 15 + 2 = 17
                        Map.of("x", 2.0, "colour", "purple"),  // 20 + 0 = 20
                        Map.of("x", -1.0, "colour", "blue"))); // -10 + 3 = -7
                assertPrediction(predictions.get(0), 17.0);
                assertPrediction(predictions.get(1), 20.0);
                assertPrediction(predictions.get(2), -7.0);
            }
        }

        @Test
        void inputsDeclaredInAnotherOrderThanTheGraphsAreStillFedByName() throws InvalidModelException {
            List<InputSpec> inputs = List.of(field("colour", InputSpec.Type.STRING), field("x", InputSpec.Type.NUMBER));
            try (Evaluator evaluator = algorithm.build(ModelSpecs.of(inputs, params("{}"),
                    OnnxModels.perFeatureInputs()), ModelSpecs.CONTEXT)) {
                assertPrediction(evaluator.predictBatch(List.of(Map.of("x", 0.5, "colour", "red"))).get(0),
                        6.0); // 5 + 1
            }
        }

        @Test
        void anInt64AndADouble() throws InvalidModelException {
            List<InputSpec> inputs = List.of(field("count", InputSpec.Type.INTEGER), field("x", InputSpec.Type.NUMBER));
            try (Evaluator evaluator = algorithm.build(ModelSpecs.of(inputs, params("{}"),
                    OnnxModels.perFeatureInputsInt64()), ModelSpecs.CONTEXT)) {
                assertThat(evaluator.outputs()).containsExactly(new OutputSpec("prediction", OutputSpec.Type.NUMBER));
                List<Map<String, Object>> predictions = evaluator.predictBatch(List.of(
                        Map.of("count", 3L, "x", 0.25),    // 3 + 0.5 = 3.5
                        Map.of("count", -2L, "x", 1.5)));  // -2 + 3  = 1
                assertPrediction(predictions.get(0), 3.5);
                assertPrediction(predictions.get(1), 1.0);
            }
        }

        @Test
        void aStringInputDeclaredAsNumberIsRejected() {
            List<InputSpec> inputs = List.of(field("x", InputSpec.Type.NUMBER), field("colour", InputSpec.Type.NUMBER));
            assertRejected(inputs, "{}", OnnxModels.perFeatureInputs())
                    .contains("'colour'").contains("string");
        }

        @Test
        void anInt64InputDeclaredAsNumberIsRejected() {
            List<InputSpec> inputs = List.of(field("count", InputSpec.Type.NUMBER), field("x", InputSpec.Type.NUMBER));
            assertRejected(inputs, "{}", OnnxModels.perFeatureInputsInt64())
                    .contains("'count'").contains("integer");
        }

        @Test
        void aFeatureOrderForAGraphFedByNameIsRejected() {
            List<InputSpec> inputs = List.of(field("x", InputSpec.Type.NUMBER), field("colour", InputSpec.Type.STRING));
            assertRejected(inputs, "{\"feature_order\": [\"x\", \"colour\"]}", OnnxModels.perFeatureInputs())
                    .contains("feature_order").contains("by name");
        }

        @Test
        void declaredInputsThatAreNotTheGraphsInputsAreRejected() {
            List<InputSpec> misspelt = List.of(field("x", InputSpec.Type.NUMBER), field("color",
                    InputSpec.Type.STRING));
            assertRejected(misspelt, "{}", OnnxModels.perFeatureInputs()).contains("colour").contains("color");

            List<InputSpec> oneMore = List.of(field("x", InputSpec.Type.NUMBER), field("colour", InputSpec.Type.STRING),
                    field("extra", InputSpec.Type.NUMBER));
            assertRejected(oneMore, "{}", OnnxModels.perFeatureInputs()).contains("extra");

            List<InputSpec> oneShort = List.of(field("x", InputSpec.Type.NUMBER));
            assertRejected(oneShort, "{}", OnnxModels.perFeatureInputs()).contains("colour");
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Artifact details
    // ------------------------------------------------------------------------------------------------------------

    @Test
    void integerClassLabelsNameTheProbabilitiesAndTheLabelIsAnInteger() throws InvalidModelException {
        try (Evaluator evaluator = algorithm.build(ModelSpecs.of(numbers("x1", "x2"), params("{}"),
                OnnxModels.logisticClassifierWithIntegerLabels()), ModelSpecs.CONTEXT)) {
            assertThat(evaluator.outputs()).containsExactly(new OutputSpec("label", OutputSpec.Type.INTEGER),
                    new OutputSpec("probabilities", OutputSpec.Type.OBJECT, List.of("10", "20", "30")));

            // scores (0.5, 0, -0.5) as in the string-labelled model: the first class, 10, wins
            Map<String, Object> prediction = evaluator.predictBatch(List.of(Map.of("x1", 0.0, "x2", 0.0))).get(0);
            assertThat(prediction.get("label")).isEqualTo(10L);
            assertThat(probabilities(prediction).keySet()).containsExactly("10", "20", "30");
            assertProbability(prediction, "10", 0.506480, 1e-5);
        }
    }

    @Test
    void outputsOfNoKnownShapeKeepTheirNamesAsNestedArrays() throws InvalidModelException {
        try (Evaluator evaluator = algorithm.build(ModelSpecs.of(numbers("a", "b"), params("{}"),
                OnnxModels.twoPlainOutputs()), ModelSpecs.CONTEXT)) {
            assertThat(evaluator.outputs()).containsExactly(new OutputSpec("doubled", OutputSpec.Type.ARRAY),
                    new OutputSpec("total", OutputSpec.Type.ARRAY));

            List<Map<String, Object>> predictions = evaluator.predictBatch(List.of(
                    Map.of("a", 1.0, "b", 2.0), Map.of("a", -0.5, "b", 4.0)));

            // doubled = (2a, 2b), total = a + b
            assertThat((float[]) predictions.get(0).get("doubled")).containsExactly(2f, 4f);
            assertThat((float[]) predictions.get(0).get("total")).containsExactly(3f);
            assertThat((float[]) predictions.get(1).get("doubled")).containsExactly(-1f, 8f);
            assertThat((float[]) predictions.get(1).get("total")).containsExactly(3.5f);
        }
    }

    @Test
    void sessionOptionsFromTheConfigAreAccepted() throws InvalidModelException {
        AlgorithmContext settings = ModelSpecs.context("{\"intraOpThreads\": 2, \"optimizationLevel\": \"NO_OPT\"}");
        try (Evaluator evaluator = algorithm.build(ModelSpecs.of(numbers("x0", "x1"), params("{}"),
                OnnxModels.treeEnsembleRegressor()), settings)) {
            assertPrediction(evaluator.predictBatch(List.of(Map.of("x0", 0.0, "x1", 0.0))).get(0), 2.125);
        }
    }

    @Test
    void sessionOptionsTheAlgorithmCannotUseAreRefused() {
        assertThatThrownBy(() -> algorithm.build(ModelSpecs.of(numbers("x0", "x1"), params("{}"),
                OnnxModels.treeEnsembleRegressor()), ModelSpecs.context("{\"intraOpThreads\": 0}")))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("intraOpThreads must be a whole number from 1 to 256");
        assertThatThrownBy(() -> algorithm.build(ModelSpecs.of(numbers("x0", "x1"), params("{}"),
                OnnxModels.treeEnsembleRegressor()), ModelSpecs.context("{\"threads\": 2}")))
                .isInstanceOf(InvalidModelException.class).hasMessageContaining("unknown setting 'threads'");
    }

    @Test
    void artifactDetailsGiveTheOpsetAndProducer() throws InvalidModelException {
        try (Evaluator evaluator = algorithm.build(ModelSpecs.of(numbers("a", "b", "c"), params("{}"),
                OnnxModels.linearRegressor()), ModelSpecs.CONTEXT)) {
            Map<String, Object> details = evaluator.artifactDetails();
            assertThat(((Number) details.get("opset")).longValue()).isEqualTo(17L);
            assertThat((String) details.get("producer")).startsWith("simple-model-api-tests");
        }
        // an ML graph imports ai.onnx.ml too; the opset shown is still the default domain's
        try (Evaluator evaluator = algorithm.build(ModelSpecs.of(numbers("x0", "x1"), params("{}"),
                OnnxModels.treeEnsembleRegressor()), ModelSpecs.CONTEXT)) {
            assertThat(((Number) evaluator.artifactDetails().get("opset")).longValue()).isEqualTo(17L);
            assertThat((String) evaluator.artifactDetails().get("producer")).startsWith(OnnxModels.PRODUCER);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Rejections
    // ------------------------------------------------------------------------------------------------------------

    @Nested
    class Rejections {

        @Test
        void truncatedBytes() {
            assertRejected(numbers("a", "b", "c"), "{}", OnnxModels.truncated()).containsIgnoringCase("ONNX");
        }

        @Test
        void randomBytes() {
            assertRejected(numbers("a", "b", "c"), "{}", OnnxModels.randomBytes()).containsIgnoringCase("ONNX");
        }

        @Test
        void anOperatorNoRuntimeImplements() {
            assertRejected(numbers("x"), "{}", OnnxModels.unsupportedOperator()).contains("ONNX Runtime");
        }

        @Test
        void aGraphExpectingMoreFeaturesThanAreDeclared() {
            // float_input is [N, 4]; three declared inputs make three columns
            assertRejected(numbers("a", "b", "c"), "{}", OnnxModels.linearRegressorExpecting(4))
                    .contains("float_input").contains("[N, 4]").contains("3 features");
            assertRejected(numbers("a", "b", "c"), "{\"feature_order\": [\"a\", \"b\", \"c\"]}",
                    OnnxModels.linearRegressorExpecting(4)).contains("[N, 4]").contains("3 features");
        }

        @Test
        void anUnknownParameter() {
            assertRejected(numbers("a", "b", "c"), "{\"feature_orders\": [\"a\", \"b\", \"c\"]}",
                    OnnxModels.linearRegressor()).contains("'feature_orders'").contains("feature_order");
        }

        @Test
        void featureOrderNamingAnUndeclaredInput() {
            assertRejected(numbers("a", "b", "c"), "{\"feature_order\": [\"a\", \"b\", \"z\"]}",
                    OnnxModels.linearRegressor()).contains("'z'").contains("not a declared input");
        }

        @Test
        void aDeclaredInputMissingFromFeatureOrder() {
            // The graph takes 2 columns and feature_order names 2 inputs, but 'c' is declared as well.
            assertRejected(numbers("a", "b", "c"), "{\"feature_order\": [\"a\", \"b\"]}",
                    OnnxModels.linearRegressorExpecting(2)).contains("'c'").contains("feature_order");
            // With the 3-column graph the 2 named columns are also too few for the graph.
            assertRejected(numbers("a", "b", "c"), "{\"feature_order\": [\"a\", \"b\"]}",
                    OnnxModels.linearRegressor());
        }

        @Test
        void featureOrderNamingAnInputTwice() {
            assertRejected(numbers("a", "b", "c"), "{\"feature_order\": [\"a\", \"a\", \"b\"]}",
                    OnnxModels.linearRegressor()).contains("feature_order").contains("twice");
        }

        @Test
        void aStringInputFeedingTheMatrix() {
            List<InputSpec> inputs = List.of(field("a", InputSpec.Type.NUMBER), field("b", InputSpec.Type.NUMBER),
                    field("c", InputSpec.Type.STRING));
            assertRejected(inputs, "{}", OnnxModels.linearRegressor()).contains("'c'").contains("number");
        }

        @Test
        void anOptionalInputFeedingTheMatrix() {
            List<InputSpec> inputs = List.of(field("a", InputSpec.Type.NUMBER), field("b", InputSpec.Type.NUMBER),
                    new InputSpec("c", InputSpec.Type.NUMBER, false));
            assertRejected(inputs, "{}", OnnxModels.linearRegressor()).contains("'c'").contains("required");
        }

        @Test
        void noArtifactAtAll() {
            assertThatThrownBy(() -> algorithm.build(ModelSpecs.of(numbers("a", "b", "c"), params("{}")),
                    ModelSpecs.CONTEXT))
                    .isInstanceOf(InvalidModelException.class)
                    .hasMessageContaining("artifact");
            assertThatThrownBy(() -> algorithm.build(ModelSpecs.of(numbers("a", "b", "c"), params("{}"), null),
                    ModelSpecs.CONTEXT))
                    .isInstanceOf(InvalidModelException.class)
                    .hasMessageContaining("artifact");
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Closing
    // ------------------------------------------------------------------------------------------------------------

    @Test
    void closeReleasesTheSessionAndIsHarmlessTwice() throws InvalidModelException {
        Evaluator evaluator = algorithm.build(ModelSpecs.of(numbers("a", "b", "c"), params("{}"),
                OnnxModels.linearRegressor()), ModelSpecs.CONTEXT);
        assertThat(evaluator).isInstanceOf(OnnxEvaluator.class);
        assertThat(((OnnxEvaluator) evaluator).isClosed()).isFalse();
        assertPrediction(evaluator.predictBatch(List.of(Map.of("a", 0.0, "b", 0.0, "c", 0.0))).get(0), 1.0);

        evaluator.close();
        assertThat(((OnnxEvaluator) evaluator).isClosed()).isTrue();

        evaluator.close();
        assertThat(((OnnxEvaluator) evaluator).isClosed()).isTrue();
    }

    @Test
    void buildingAndClosingTheSameModelManyTimesWorks() throws InvalidModelException {
        byte[] graph = OnnxModels.treeEnsembleRegressor();
        JsonNode parameters = params("{\"feature_order\": [\"x0\", \"x1\"]}");
        for (int i = 0; i < 300; i++) {
            try (Evaluator evaluator = algorithm.build(ModelSpecs.of(numbers("x0", "x1"), parameters, graph),
                    ModelSpecs.CONTEXT)) {
                if (i % 50 == 0) {
                    assertPrediction(evaluator.predictBatch(List.of(Map.of("x0", 0.0, "x1", 0.0))).get(0), 2.125);
                }
            }
        }
    }

    @Test
    void aFailedBuildLeavesNothingBehindEitherWay() {
        // The rejections after the session exists (input shape) must close it; many of them in a row still work.
        for (int i = 0; i < 50; i++) {
            assertRejected(numbers("a", "b", "c"), "{}", OnnxModels.linearRegressorExpecting(4));
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------------------------------

    /** Builds, expects an {@link InvalidModelException}, and returns an assertion on its (non-blank) message. */
    private AbstractStringAssert<?> assertRejected(List<InputSpec> inputs, String parameters, byte[] artifact) {
        JsonNode json = params(parameters);
        Evaluator built;
        try {
            built = algorithm.build(ModelSpecs.of(inputs, json, artifact), ModelSpecs.CONTEXT);
        } catch (InvalidModelException e) {
            assertThat(e.getMessage()).as("rejection message").isNotBlank();
            return assertThat(e.getMessage());
        }
        List<OutputSpec> outputs = built.outputs();
        built.close();
        throw new AssertionError("expected the model to be rejected, but it built, with outputs " + outputs);
    }

    private static List<InputSpec> numbers(String... names) {
        return Arrays.stream(names).map(name -> field(name, InputSpec.Type.NUMBER)).toList();
    }

    private static InputSpec field(String name, InputSpec.Type type) {
        return new InputSpec(name, type, true);
    }

    private static JsonNode params(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertPrediction(Map<String, Object> prediction, double expected) {
        assertThat(prediction).containsKey("prediction");
        assertThat(prediction.get("prediction")).isInstanceOf(Double.class);
        assertThat((Double) prediction.get("prediction")).isCloseTo(expected, within(EPS));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> probabilities(Map<String, Object> prediction) {
        assertThat(prediction.get("probabilities")).isInstanceOf(Map.class);
        return new LinkedHashMap<>((Map<String, Object>) prediction.get("probabilities"));
    }

    private static void assertProbability(Map<String, Object> prediction, String label, double expected,
                                          double tolerance) {
        Object value = probabilities(prediction).get(label);
        assertThat(value).as("probability of " + label).isInstanceOf(Double.class);
        assertThat((Double) value).as("probability of " + label).isCloseTo(expected, within(tolerance));
    }

    private static void assertClassification(Map<String, Object> prediction, String label, double[] abc) {
        assertThat(prediction.get("label")).isEqualTo(label);
        assertProbability(prediction, "a", abc[0], EPS);
        assertProbability(prediction, "b", abc[1], EPS);
        assertProbability(prediction, "c", abc[2], EPS);
    }

    /** softmax(s, 0, -s) written out: (e^s, e^0, e^-s) / (e^s + 1 + e^-s). */
    private static double[] softmaxOfPlusZeroMinus(double s) {
        double sum = Math.exp(s) + 1 + Math.exp(-s);
        return new double[]{Math.exp(s) / sum, 1 / sum, Math.exp(-s) / sum};
    }
}
