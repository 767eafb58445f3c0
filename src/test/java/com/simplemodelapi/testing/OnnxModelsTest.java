package com.simplemodelapi.testing;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException.OrtErrorCode;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Runs every {@link OnnxModels} model in ONNX Runtime and checks the outputs against values worked out by hand. */
class OnnxModelsTest {
    private static final double EPS = 1e-6;
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    @Test
    void linearRegressorComputesOnePlus2aMinus3bPlusHalfC() throws OrtException {
        float[][] rows = {
                {0f, 0f, 0f},   // 1 + 0 - 0 + 0            = 1
                {1f, 1f, 1f},   // 1 + 2 - 3 + 0.5          = 0.5
                {2f, -1f, 4f},  // 1 + 4 + 3 + 2            = 10
                {0.5f, 2f, -2f} // 1 + 1 - 6 - 1            = -5
        };
        try (OrtSession session = session(OnnxModels.linearRegressor());
             OnnxTensor input = OnnxTensor.createTensor(ENV, rows);
             OrtSession.Result result = session.run(Map.of("float_input", input))) {
            assertThat(shapeOf(session.getInputInfo().get("float_input"))).containsExactly(-1, 3);
            float[][] out = (float[][]) result.get("variable").orElseThrow().getValue();
            assertColumn(out, 1.0, 0.5, 10.0, -5.0);
        }
    }

    @Test
    void linearRegressorExpectingMoreFeaturesLoadsButRejectsTooFewColumns() throws OrtException {
        try (OrtSession session = session(OnnxModels.linearRegressorExpecting(4))) {
            assertThat(shapeOf(session.getInputInfo().get("float_input"))).containsExactly(-1, 4);

            // 4 features: 1 + 2a - 3b + 0.5c + d
            float[][] four = {
                    {1f, 1f, 1f, 1f},  // 1 + 2 - 3 + 0.5 + 1 = 1.5
                    {0f, 0f, 0f, 7f},  // 1 + 7               = 8
                    {1f, 0f, 2f, -3f}  // 1 + 2 + 1 - 3       = 1
            };
            try (OnnxTensor input = OnnxTensor.createTensor(ENV, four);
                 OrtSession.Result result = session.run(Map.of("float_input", input))) {
                assertColumn((float[][]) result.get(0).getValue(), 1.5, 8.0, 1.0);
            }

            try (OnnxTensor tooFew = OnnxTensor.createTensor(ENV, new float[][]{{1f, 2f, 3f}})) {
                // "Got invalid dimensions for input: float_input ...", at run time, not at load time
                assertThatThrownBy(() -> session.run(Map.of("float_input", tooFew)).close())
                        .isInstanceOfSatisfying(OrtException.class,
                                e -> assertThat(e.getCode()).isEqualTo(OrtErrorCode.ORT_INVALID_ARGUMENT));
            }
        }
    }

    @Test
    void logisticClassifierGivesSoftmaxOfLinearScores() throws OrtException {
        float[][] rows = {
                {0f, 0f}, // score_a = 0 - 0 + 0.5 = 0.5,  score_b = 0, score_c = -0.5 -> "a"
                {2f, 1f}, // score_a = 2 - 1 + 0.5 = 1.5,  score_b = 0, score_c = -1.5 -> "a"
                {0f, 2f}  // score_a = 0 - 2 + 0.5 = -1.5, score_b = 0, score_c = 1.5  -> "c"
        };
        try (OrtSession session = session(OnnxModels.logisticClassifier());
             OnnxTensor input = OnnxTensor.createTensor(ENV, rows);
             OrtSession.Result result = session.run(Map.of("float_input", input))) {
            Object labels = result.get("label").orElseThrow().getValue();
            assertThat(labels).isInstanceOf(String[].class);
            assertThat((String[]) labels).containsExactly("a", "a", "c");

            float[][] probabilities = (float[][]) result.get("probabilities").orElseThrow().getValue();
            // softmax(s, 0, -s) = (e^s, 1, e^-s) / (e^s + 1 + e^-s)
            // s = 0.5: e^0.5 = 1.648721, e^-0.5 = 0.606531, sum = 3.255252 -> (0.506480, 0.307196, 0.186324)
            // s = 1.5: e^1.5 = 4.481689, e^-1.5 = 0.223130, sum = 5.704819 -> (0.785597, 0.175290, 0.039113)
            // s = -1.5: the same numbers with a and c swapped                -> (0.039113, 0.175290, 0.785597)
            assertRow(probabilities[0], softmaxOfPlusZeroMinus(0.5));
            assertRow(probabilities[1], softmaxOfPlusZeroMinus(1.5));
            assertRow(probabilities[2], softmaxOfPlusZeroMinus(-1.5));
            assertRow(probabilities[0], 0.506480, 0.307196, 0.186324, 1e-6);
            assertRow(probabilities[1], 0.785597, 0.175290, 0.039113, 1e-6);
        }
    }

    @Test
    void binaryTreeClassifierSumsPYesOverTreesAndZipMapsBothClasses() throws OrtException {
        // P(yes) = tree0 + tree1; P(no) = 1 - P(yes); label "yes" only when P(yes) > 0.5
        float[][] rows = {
                {0f, -1f}, // tree0 x0 <= 0.5: 0.10; tree1 x1 <= 0: 0.00               -> P(yes) 0.10 "no"
                {0f, 1f},  // tree0 x0 <= 0.5: 0.10; tree1 x1 > 0, x0 <= 2: 0.25       -> P(yes) 0.35 "no"
                {1f, 1f},  // tree0 x0 > 0.5:  0.40; tree1 x1 > 0, x0 <= 2: 0.25       -> P(yes) 0.65 "yes"
                {3f, 0f},  // tree0 x0 > 0.5:  0.40; tree1 x1 <= 0 (equal): 0.00       -> P(yes) 0.40 "no"
                {3f, 1f},  // tree0 x0 > 0.5:  0.40; tree1 x1 > 0, x0 > 2: 0.50        -> P(yes) 0.90 "yes"
                {0.5f, 1f} // tree0 x0 <= 0.5 (equal): 0.10; tree1 x1 > 0, x0 <= 2: 0.25 -> P(yes) 0.35 "no"
        };
        try (OrtSession session = session(OnnxModels.treeEnsembleClassifierWithZipMap());
             OnnxTensor input = OnnxTensor.createTensor(ENV, rows);
             OrtSession.Result result = session.run(Map.of("float_input", input))) {
            SequenceInfo zipMapInfo = (SequenceInfo) session.getOutputInfo().get("output_probability").getInfo();
            assertThat(zipMapInfo.isSequenceOfMaps()).isTrue();
            assertThat(zipMapInfo.mapInfo.keyType).isEqualTo(OnnxJavaType.STRING);
            assertThat(zipMapInfo.mapInfo.valueType).isEqualTo(OnnxJavaType.FLOAT);

            assertThat((String[]) result.get("output_label").orElseThrow().getValue())
                    .containsExactly("no", "no", "yes", "no", "yes", "no");

            List<Map<String, Float>> probabilities = zipMapRows(result.get("output_probability").orElseThrow());
            double[][] expected = {{0.90, 0.10}, {0.65, 0.35}, {0.35, 0.65}, {0.60, 0.40}, {0.10, 0.90}, {0.65, 0.35}};
            assertThat(probabilities).hasSize(expected.length);
            for (int i = 0; i < expected.length; i++) {
                assertThat(probabilities.get(i).keySet()).containsExactlyInAnyOrder("no", "yes");
                assertThat((double) probabilities.get(i).get("no")).isCloseTo(expected[i][0], within(EPS));
                assertThat((double) probabilities.get(i).get("yes")).isCloseTo(expected[i][1], within(EPS));
            }
        }
    }

    @Test
    void irisTreeFollowsPetalLengthThenPetalWidth() throws OrtException {
        float[][] rows = {
                {5.1f, 3.5f, 1.4f, 0.2f},  // petal_length 1.4 <= 2.45                   -> setosa (1, 0, 0)
                {5.9f, 3.0f, 4.2f, 1.5f},  // petal_length 4.2 > 2.45, petal_width 1.5 <= 1.75 -> (0, 0.9, 0.1)
                {6.3f, 3.3f, 6.0f, 2.5f},  // petal_length 6.0 > 2.45, petal_width 2.5 > 1.75  -> (0, 0.05, 0.95)
                {5.0f, 3.0f, 2.45f, 3.0f}  // petal_length exactly 2.45 (<=): width ignored    -> setosa (1, 0, 0)
        };
        try (OrtSession session = session(OnnxModels.irisTreeEnsemble());
             OnnxTensor input = OnnxTensor.createTensor(ENV, rows);
             OrtSession.Result result = session.run(Map.of("float_input", input))) {
            assertThat(shapeOf(session.getInputInfo().get("float_input"))).containsExactly(-1, 4);
            assertThat((String[]) result.get("output_label").orElseThrow().getValue())
                    .containsExactly("setosa", "versicolor", "virginica", "setosa");

            List<Map<String, Float>> probabilities = zipMapRows(result.get("output_probability").orElseThrow());
            double[][] expected = {{1, 0, 0}, {0, 0.9, 0.1}, {0, 0.05, 0.95}, {1, 0, 0}};
            for (int i = 0; i < expected.length; i++) {
                Map<String, Float> row = probabilities.get(i);
                assertThat(row.keySet()).containsExactlyInAnyOrder("setosa", "versicolor", "virginica");
                assertThat((double) row.get("setosa")).isCloseTo(expected[i][0], within(EPS));
                assertThat((double) row.get("versicolor")).isCloseTo(expected[i][1], within(EPS));
                assertThat((double) row.get("virginica")).isCloseTo(expected[i][2], within(EPS));
            }
        }
    }

    @Test
    void treeRegressorSumsBaseValueAndThreeTrees() throws OrtException {
        float[][] rows = {
                {0f, 0f},   // 0.5 + (x0 <= 1: 1) + (x1 <= 0, x0 > -1: 0.5) + (x1 <= 5: 0.125)  = 2.125
                {-2f, -1f}, // 0.5 + 1 + (x1 <= 0, x0 <= -1: 0.25) + 0.125                       = 1.875
                {3f, 10f},  // 0.5 + (x0 > 1: -1) + (x1 > 0: 2) + (x1 > 5: -0.375)               = 1.125
                {2f, 1f},   // 0.5 - 1 + 2 + 0.125                                               = 1.625
                {1f, 5f}    // boundaries (<=): 0.5 + 1 + (x1 = 5 > 0: 2) + (x1 <= 5: 0.125)     = 3.625
        };
        try (OrtSession session = session(OnnxModels.treeEnsembleRegressor());
             OnnxTensor input = OnnxTensor.createTensor(ENV, rows);
             OrtSession.Result result = session.run(Map.of("float_input", input))) {
            assertColumn((float[][]) result.get("variable").orElseThrow().getValue(),
                    2.125, 1.875, 1.125, 1.625, 3.625);
        }
    }

    @Test
    void perFeatureInputsEncodesColourAndAddsTenX() throws OrtException {
        float[][] x = {{1.5f}, {0f}, {2f}, {-1f}};
        String[][] colour = {{"green"}, {"red"}, {"purple"}, {"blue"}};
        // 15 + 2 = 17;  0 + 1 = 1;  20 + 0 (unknown colour -> default 0) = 20;  -10 + 3 = -7
        try (OrtSession session = session(OnnxModels.perFeatureInputs());
             OnnxTensor xTensor = OnnxTensor.createTensor(ENV, x);
             OnnxTensor colourTensor = OnnxTensor.createTensor(ENV, colour);
             OrtSession.Result result = session.run(Map.of("x", xTensor, "colour", colourTensor))) {
            assertThat(session.getInputNames()).containsExactlyInAnyOrder("x", "colour");
            assertColumn((float[][]) result.get("variable").orElseThrow().getValue(), 17, 1, 20, -7);
        }
    }

    @Test
    void perFeatureInputsInt64AddsCountAndTwoX() throws OrtException {
        long[][] count = {{3L}, {0L}, {-2L}, {1_000_000L}};
        double[][] x = {{0.25}, {1.5}, {-0.5}, {0.125}};
        // 3 + 0.5 = 3.5;  0 + 3 = 3;  -2 - 1 = -3;  1000000 + 0.25 = 1000000.25
        try (OrtSession session = session(OnnxModels.perFeatureInputsInt64());
             OnnxTensor countTensor = OnnxTensor.createTensor(ENV, count);
             OnnxTensor xTensor = OnnxTensor.createTensor(ENV, x);
             OrtSession.Result result = session.run(Map.of("count", countTensor, "x", xTensor))) {
            double[][] out = (double[][]) result.get("variable").orElseThrow().getValue();
            double[] expected = {3.5, 3.0, -3.0, 1_000_000.25};
            assertThat(out).hasNumberOfRows(expected.length);
            for (int i = 0; i < expected.length; i++) {
                assertThat(out[i]).hasSize(1);
                assertThat(out[i][0]).isCloseTo(expected[i], within(1e-12));
            }
        }
    }

    @Test
    void badModelsFailToLoad() {
        // Bytes that are not a ModelProto fail with ORT_INVALID_PROTOBUF ("protobuf parsing failed").
        assertThatThrownBy(() -> session(OnnxModels.truncated()).close())
                .isInstanceOfSatisfying(OrtException.class,
                        e -> assertThat(e.getCode()).isEqualTo(OrtErrorCode.ORT_INVALID_PROTOBUF));
        assertThatThrownBy(() -> session(OnnxModels.randomBytes()).close())
                .isInstanceOfSatisfying(OrtException.class,
                        e -> assertThat(e.getCode()).isEqualTo(OrtErrorCode.ORT_INVALID_PROTOBUF));
        // "com.example:NoSuchOp(-1) is not a registered function/op", code ORT_FAIL
        assertThatThrownBy(() -> session(OnnxModels.unsupportedOperator()).close())
                .isInstanceOf(OrtException.class)
                .hasMessageContaining("NoSuchOp");
    }

    @Test
    void badModelBytesAreStable() {
        assertThat(OnnxModels.randomBytes()).hasSize(2048).isEqualTo(OnnxModels.randomBytes());
        assertThat(OnnxModels.truncated()).hasSize(OnnxModels.linearRegressor().length / 2);
    }

    // ------------------------------------------------------------------------------------------------------------

    private static OrtSession session(byte[] model) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            return ENV.createSession(model, options);
        }
    }

    private static long[] shapeOf(NodeInfo info) {
        return ((TensorInfo) info.getInfo()).getShape();
    }

    /**
     * ZipMap output comes back as an {@link OnnxSequence} whose {@code getValue()} is a list of {@link OnnxMap}s
     * (one per row), each of which gives a {@code Map<String, Float>} from its own {@code getValue()}.
     */
    private static List<Map<String, Float>> zipMapRows(OnnxValue value) throws OrtException {
        assertThat(value).isInstanceOf(OnnxSequence.class);
        List<Map<String, Float>> rows = new ArrayList<>();
        for (OnnxValue element : ((OnnxSequence) value).getValue()) {
            assertThat(element).isInstanceOf(OnnxMap.class);
            Map<String, Float> row = new LinkedHashMap<>();
            ((OnnxMap) element).getValue().forEach((k, v) -> row.put((String) k, (Float) v));
            rows.add(row);
        }
        return rows;
    }

    /** softmax(s, 0, -s) written out: (e^s, e^0, e^-s) / (e^s + 1 + e^-s). */
    private static double[] softmaxOfPlusZeroMinus(double s) {
        double sum = Math.exp(s) + 1 + Math.exp(-s);
        return new double[]{Math.exp(s) / sum, 1 / sum, Math.exp(-s) / sum};
    }

    private static void assertRow(float[] actual, double... expected) {
        assertThat(actual).hasSize(expected.length);
        for (int k = 0; k < expected.length; k++) {
            assertThat((double) actual[k]).isCloseTo(expected[k], within(EPS));
        }
    }

    private static void assertRow(float[] actual, double a, double b, double c, double tolerance) {
        assertThat(actual).hasSize(3);
        assertThat((double) actual[0]).isCloseTo(a, within(tolerance));
        assertThat((double) actual[1]).isCloseTo(b, within(tolerance));
        assertThat((double) actual[2]).isCloseTo(c, within(tolerance));
    }

    /** A [N,1] output whose single column equals {@code expected}, to 1e-6. */
    private static void assertColumn(float[][] actual, double... expected) {
        assertThat(actual).hasNumberOfRows(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).hasSize(1);
            assertThat((double) actual[i][0]).isCloseTo(expected[i], within(EPS));
        }
    }
}
