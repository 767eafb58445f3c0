package com.simplemodelapi.algorithm.builtin;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.simplemodelapi.spi.Evaluator;
import com.simplemodelapi.spi.InputSpec;
import com.simplemodelapi.spi.InvalidModelException;
import com.simplemodelapi.spi.OutputSpec;
import com.simplemodelapi.testing.ModelSpecs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Expected probabilities were computed in Python (numpy only) with the formulas scikit-learn's
 * {@code LogisticRegression.predict_proba} uses, where {@code z = x @ coef_.T + intercept_}:
 * <ul>
 *   <li>multinomial: {@code softmax(z)} with the row maximum subtracted ({@code sklearn.utils.extmath.softmax});</li>
 *   <li>ovr: {@code p = expit(z); p / p.sum()};</li>
 *   <li>binary: {@code p1 = expit(z[0]); [1 - p1, p1]};</li>
 * </ul>
 * with {@code expit(z) = 1 / (1 + exp(-z))}, printed with {@code repr}. The iris parameters are the coef_ and
 * intercept_ a default {@code LogisticRegression()} fits on the iris data set.
 */
class LogisticRegressionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double TOLERANCE = 1e-9;

    private static final List<InputSpec> IRIS_INPUTS = List.of(
            new InputSpec("sepal_length", InputSpec.Type.NUMBER, true),
            new InputSpec("sepal_width", InputSpec.Type.NUMBER, true),
            new InputSpec("petal_length", InputSpec.Type.NUMBER, true),
            new InputSpec("petal_width", InputSpec.Type.NUMBER, true));
    private static final String IRIS = """
            {
              "classes": ["setosa", "versicolor", "virginica"],
              "coefficients": [
                {"sepal_length": -0.42337, "sepal_width": 0.96725, "petal_length": -2.51717, "petal_width": -1.07933},
                {"sepal_length": 0.53474, "sepal_width": -0.32158, "petal_length": -0.20645, "petal_width": -0.94420},
                {"sepal_length": -0.11137, "sepal_width": -0.64567, "petal_length": 2.72362, "petal_width": 2.02353}
              ],
              "intercepts": [9.84998, 2.23723, -12.08721]%s
            }
            """;
    private static final Map<String, Object> SETOSA_FLOWER =
            Map.of("sepal_length", 5.1, "sepal_width", 3.5, "petal_length", 1.4, "petal_width", 0.2);
    private static final Map<String, Object> VIRGINICA_FLOWER =
            Map.of("sepal_length", 6.0, "sepal_width", 2.7, "petal_length", 5.1, "petal_width", 1.6);
    private static final Map<String, Object> VERSICOLOR_FLOWER =
            Map.of("sepal_length", 5.9, "sepal_width", 3.0, "petal_length", 4.2, "petal_width", 1.5);

    private static final List<InputSpec> AB_INPUTS =
            List.of(new InputSpec("a", InputSpec.Type.NUMBER, true), new InputSpec("b", InputSpec.Type.INTEGER, true));
    private static final String BINARY = """
            {"classes": ["no", "yes"], "coefficients": [{"a": 0.75, "b": -1.25}], "intercepts": [0.3]}
            """;

    private final LogisticRegression algorithm = new LogisticRegression();

    @Test
    void isNamedLogisticRegression() {
        assertThat(algorithm.name()).isEqualTo("logistic-regression");
    }

    @Test
    void outputsALabelAndProbabilities() throws Exception {
        assertThat(build(AB_INPUTS, BINARY).outputs())
                .containsExactly(new OutputSpec("label", OutputSpec.Type.STRING), new OutputSpec("probabilities",
                        OutputSpec.Type.OBJECT, List.of("no", "yes")));
    }

    @Test
    void multinomialIsTheDefaultAndMatchesScikitLearn() throws Exception {
        Evaluator iris = build(IRIS_INPUTS, IRIS.formatted(""));

        assertPrediction(iris.predictBatch(List.of(SETOSA_FLOWER)).get(0), "setosa",
                0.981571549493421, 0.01842843605023329, 1.4456345702638539e-08);
        assertPrediction(iris.predictBatch(List.of(VIRGINICA_FLOWER)).get(0), "virginica",
                0.0004505795206174039, 0.3506288648084868, 0.6489205556708958);
        assertPrediction(iris.predictBatch(List.of(VERSICOLOR_FLOWER)).get(0), "versicolor",
                0.015182039071098531, 0.8991421023458507, 0.0856758585830508);
    }

    @Test
    void explicitMultinomialMatchesScikitLearn() throws Exception {
        Evaluator iris = build(IRIS_INPUTS, IRIS.formatted(", \"multi_class\": \"multinomial\""));

        assertPrediction(iris.predictBatch(List.of(VIRGINICA_FLOWER)).get(0), "virginica",
                0.0004505795206174039, 0.3506288648084868, 0.6489205556708958);
    }

    @Test
    void oneVersusRestMatchesScikitLearn() throws Exception {
        Evaluator iris = build(IRIS_INPUTS, IRIS.formatted(", \"multi_class\": \"ovr\""));

        assertPrediction(iris.predictBatch(List.of(SETOSA_FLOWER)).get(0), "setosa",
                0.5083585363237961, 0.49162996418352856, 1.149949267534323e-05);
        assertPrediction(iris.predictBatch(List.of(VIRGINICA_FLOWER)).get(0), "virginica",
                0.005226321575687067, 0.4835499464415986, 0.5112237319827144);
        assertPrediction(iris.predictBatch(List.of(VERSICOLOR_FLOWER)).get(0), "versicolor",
                0.08570612946384473, 0.6091091642531665, 0.3051847062829887);
    }

    @Test
    void binaryGivesTheSigmoidToTheSecondClass() throws Exception {
        Evaluator binary = build(AB_INPUTS, BINARY);

        // z = 0.3 + 0.75 * 2.0 - 1.25 * 1 = 0.55
        assertPrediction(binary.predictBatch(List.of(Map.of("a", 2.0, "b", 1L))).get(0), "yes", 0.36586440898919925,
                0.6341355910108007);
        // z = 0.3 + 0.75 * (-1.5) - 1.25 * 2 = -3.325
        assertPrediction(binary.predictBatch(List.of(Map.of("a", -1.5, "b", 2L))).get(0), "no", 0.9652765704666424,
                0.03472342953335755);
    }

    @Test
    void acceptsIntegerInputs() throws Exception {
        Evaluator binary = build(List.of(new InputSpec("a", InputSpec.Type.INTEGER, true),
                new InputSpec("b", InputSpec.Type.INTEGER, true)), BINARY);

        // z = 0.3 + 0.75 * 2 - 1.25 * 1 = 0.55, as in the binary test with a = 2.0
        assertPrediction(binary.predictBatch(List.of(Map.of("a", 2L, "b", 1L))).get(0), "yes", 0.36586440898919925,
                0.6341355910108007);
    }

    @Test
    void labelIsTheFirstClassOnATie() throws Exception {
        Evaluator binary = build(AB_INPUTS, """
                {"classes": ["left", "right"], "coefficients": [{"a": 0, "b": 0}], "intercepts": [0]}
                """);

        assertPrediction(binary.predictBatch(List.of(Map.of("a", 1.0, "b", 1L))).get(0), "left", 0.5, 0.5);
    }

    @Test
    void probabilitiesFollowTheClassOrder() throws Exception {
        Map<String, Object> prediction = build(AB_INPUTS, """
                {"classes": ["z", "y", "x"], "coefficients": [{"a": 0, "b": 0}, {"a": 0, "b": 0}, {"a": 0, "b": 0}],
                 "intercepts": [0, 1, 0]}
                """).predictBatch(List.of(Map.of("a", 1.0, "b", 1L))).get(0);

        assertThat(prediction.keySet()).containsExactly("label", "probabilities");
        assertThat(probabilities(prediction).keySet()).containsExactly("z", "y", "x");
        assertThat(prediction.get("label")).isEqualTo("y");
    }

    @Test
    void binaryStaysFiniteForExtremeLogits() throws Exception {
        Map<String, Object> instance = Map.of("a", 0.0, "b", 0L);

        assertPrediction(build(AB_INPUTS, extremeBinary(800)).predictBatch(List.of(instance)).get(0), "yes", 0.0, 1.0);
        assertPrediction(build(AB_INPUTS, extremeBinary(-800)).predictBatch(List.of(instance)).get(0), "no", 1.0, 0.0);
    }

    @Test
    void multinomialStaysFiniteForExtremeLogits() throws Exception {
        Evaluator evaluator = build(AB_INPUTS, extreme("multinomial", 800, -800, 0));

        // softmax([800, -800, 0]) = [1, e^-1600, e^-800] = [1, 0, 0] in double precision
        assertPrediction(evaluator.predictBatch(List.of(Map.of("a", 0.0, "b", 0L))).get(0), "c1", 1.0, 0.0, 0.0);
    }

    @Test
    void oneVersusRestStaysFiniteForExtremeLogits() throws Exception {
        Map<String, Object> instance = Map.of("a", 0.0, "b", 0L);

        // expit([800, -800, 0]) = [1, 0, 0.5], normalised: [2/3, 0, 1/3]
        assertPrediction(build(AB_INPUTS, extreme("ovr", 800, -800, 0)).predictBatch(List.of(instance)).get(0), "c1",
                2.0 / 3, 0.0, 1.0 / 3);
        // every expit underflows to 0 here; the exact ratio of equal sigmoids is 1/3 each
        assertPrediction(build(AB_INPUTS, extreme("ovr", -800, -800, -800)).predictBatch(List.of(instance)).get(0),
                "c1",
                1.0 / 3, 1.0 / 3, 1.0 / 3);
    }

    @Test
    void rejectsUnknownParameters() {
        assertInvalid(AB_INPUTS, """
                {"classes": ["no", "yes"], "coefficients": [{"a": 1, "b": 1}], "intercepts": [0], "penalty": "l2"}
                """, "'penalty'");
    }

    @Test
    void rejectsMissingClasses() {
        assertInvalid(AB_INPUTS, """
                {"coefficients": [{"a": 1, "b": 1}], "intercepts": [0]}
                """, "'classes' must be an array", "nothing");
    }

    @Test
    void rejectsClassesThatAreNotAnArray() {
        assertInvalid(AB_INPUTS, """
                {"classes": "no,yes", "coefficients": [{"a": 1, "b": 1}], "intercepts": [0]}
                """, "'classes' must be an array", "string");
    }

    @Test
    void rejectsFewerThanTwoClasses() {
        assertInvalid(AB_INPUTS, """
                {"classes": ["yes"], "coefficients": [{"a": 1, "b": 1}], "intercepts": [0]}
                """, "'classes' must list at least 2 classes, got 1");
    }

    @Test
    void rejectsDuplicateClasses() {
        assertInvalid(AB_INPUTS, """
                {"classes": ["no", "yes", "no"], "coefficients": [{"a": 1, "b": 1}, {"a": 1, "b": 1},
                 {"a": 1, "b": 1}], "intercepts": [0, 0, 0]}
                """, "class 'no' appears more than once");
    }

    @Test
    void rejectsClassNamesThatAreNotStrings() {
        assertInvalid(AB_INPUTS, """
                {"classes": ["no", 1], "coefficients": [{"a": 1, "b": 1}], "intercepts": [0]}
                """, "classes[1] must be a string, got 1");
    }

    @Test
    void rejectsCoefficientsThatAreNotAnArray() {
        assertInvalid(AB_INPUTS, """
                {"classes": ["no", "yes"], "coefficients": {"a": 1, "b": 1}, "intercepts": [0]}
                """, "'coefficients' must be an array", "object");
    }

    @Test
    void rejectsACoefficientRowThatIsNotAnObject() {
        assertInvalid(AB_INPUTS, """
                {"classes": ["no", "yes"], "coefficients": [[1, 1]], "intercepts": [0]}
                """, "'coefficients[0]' must be an object", "array");
    }

    @Test
    void rejectsFewerRowsThanClasses() {
        assertInvalid(AB_INPUTS, """
                {"classes": ["x", "y", "z"], "coefficients": [{"a": 1, "b": 1}, {"a": 1, "b": 1}],
                 "intercepts": [0, 0]}
                """, "'coefficients' has 2 row(s) but 'classes' has 3");
        assertInvalid(AB_INPUTS, """
                {"classes": ["x", "y", "z"], "coefficients": [{"a": 1, "b": 1}], "intercepts": [0]}
                """, "'coefficients' has 1 row(s) but 'classes' has 3");
    }

    @Test
    void rejectsMissingIntercepts() {
        assertInvalid(AB_INPUTS, """
                {"classes": ["no", "yes"], "coefficients": [{"a": 1, "b": 1}]}
                """, "'intercepts' must be an array", "nothing");
    }

    @Test
    void rejectsAnInterceptCountThatDiffersFromTheRows() {
        assertInvalid(AB_INPUTS, """
                {"classes": ["no", "yes"], "coefficients": [{"a": 1, "b": 1}], "intercepts": [0, 1]}
                """, "'intercepts' has 2 value(s) but 'coefficients' has 1 row(s)");
    }

    @Test
    void rejectsANonNumericIntercept() {
        assertInvalid(AB_INPUTS, """
                {"classes": ["no", "yes"], "coefficients": [{"a": 1, "b": 1}], "intercepts": ["0"]}
                """, "'intercepts[0]' must be a number", "string");
    }

    @Test
    void rejectsANonFiniteIntercept() {
        assertInvalid(AB_INPUTS, """
                {"classes": ["no", "yes"], "coefficients": [{"a": 1, "b": 1}], "intercepts": [-1e999]}
                """, "'intercepts[0]' must be a finite number");
    }

    @Test
    void rejectsAnUnknownMultiClass() {
        assertInvalid(IRIS_INPUTS, IRIS.formatted(", \"multi_class\": \"softmax\""),
                "unknown 'multi_class' value \"softmax\"", "\"auto\"", "multinomial", "ovr", "leave it out");
    }

    /**
     * Models copied unedited from fitted scikit-learn LogisticRegressions, as the README says, with scikit-learn's own
     * {@code multi_class} ("auto" in the fixture, "deprecated" from scikit-learn 1.5 on, or none): the service's
     * probabilities are {@code predict_proba}'s. The fixture and the script that fitted it are in
     * src/test/resources/sklearn.
     */
    @ParameterizedTest(name = "{0} with multi_class {1}")
    @MethodSource("fittedModels")
    void aModelCopiedFromAFittedScikitLearnModelNeedsNoEditing(String name, String multiClass, JsonNode fitted)
            throws Exception {
        ObjectNode parameters = fitted.get("parameters").deepCopy();
        assertThat(parameters.get("multi_class").textValue()).as("what scikit-learn wrote").isEqualTo("auto");
        if (multiClass == null) {
            parameters.remove("multi_class");
        } else {
            parameters.put("multi_class", multiClass);
        }
        List<InputSpec> inputs = new ArrayList<>();
        fitted.get("features").forEach(feature -> inputs.add(new InputSpec(feature.textValue(), InputSpec.Type.NUMBER,
                true)));
        Evaluator model = build(inputs, JSON.writeValueAsString(parameters));

        JsonNode records = fitted.get("records");
        assertThat(records.size()).isGreaterThanOrEqualTo(10);
        for (int i = 0; i < records.size(); i++) {
            Map<String, Object> record = JSON.convertValue(records.get(i), new TypeReference<>() { });
            List<Double> actual = List.copyOf(probabilities(model.predictBatch(List.of(record)).get(0)).values());
            JsonNode expected = fitted.get("probabilities").get(i);
            assertThat(actual).as("record %d", i).hasSize(expected.size());
            for (int k = 0; k < expected.size(); k++) {
                assertThat(actual.get(k)).as("record %d, class %d", i, k)
                        .isCloseTo(expected.get(k).doubleValue(), within(TOLERANCE));
            }
        }
    }

    static Stream<Arguments> fittedModels() throws IOException {
        JsonNode fixture;
        try (InputStream in = LogisticRegressionTest.class.getResourceAsStream(
                "/sklearn/logistic-regression-fitted.json")) {
            fixture = JSON.readTree(in);
        }
        List<Arguments> cases = new ArrayList<>();
        for (JsonNode fitted : fixture.get("cases")) {
            for (String multiClass : Arrays.asList("auto", "deprecated", null)) {
                cases.add(Arguments.of(fitted.get("name").textValue(), multiClass, fitted));
            }
        }
        return cases.stream();
    }

    @Test
    void aNullMultiClassIsLikeNone() throws Exception {
        Evaluator iris = build(IRIS_INPUTS, IRIS.formatted(", \"multi_class\": null"));

        assertPrediction(iris.predictBatch(List.of(SETOSA_FLOWER)).get(0), "setosa",
                0.981571549493421, 0.01842843605023329, 1.4456345702638539e-08);
    }

    @Test
    void scikitLearnsOldWarnIsItsOneVersusRest() throws Exception {
        Evaluator warn = build(IRIS_INPUTS, IRIS.formatted(", \"multi_class\": \"warn\""));
        Evaluator ovr = build(IRIS_INPUTS, IRIS.formatted(", \"multi_class\": \"ovr\""));

        assertThat(warn.predictBatch(List.of(VERSICOLOR_FLOWER))).isEqualTo(ovr.predictBatch(List.of(VERSICOLOR_FLOWER)));
    }

    @Test
    void rejectsACoefficientForAnUndeclaredInput() {
        assertInvalid(AB_INPUTS, """
                {"classes": ["x", "y", "z"], "coefficients": [{"a": 1, "b": 1}, {"a": 1, "b": 1, "c": 1},
                 {"a": 1, "b": 1}], "intercepts": [0, 0, 0]}
                """, "'coefficients[1]'", "'c'", "not a declared input");
    }

    @Test
    void rejectsAnInputWithoutACoefficient() {
        assertInvalid(AB_INPUTS, """
                {"classes": ["x", "y", "z"], "coefficients": [{"a": 1, "b": 1}, {"a": 1, "b": 1}, {"a": 1}],
                 "intercepts": [0, 0, 0]}
                """, "'coefficients[2]' has no coefficient for input 'b'");
    }

    @Test
    void rejectsANonNumericCoefficient() {
        assertInvalid(AB_INPUTS, """
                {"classes": ["no", "yes"], "coefficients": [{"a": 1, "b": null}], "intercepts": [0]}
                """, "'coefficients[0].b' must be a number", "null");
    }

    @Test
    void rejectsANonFiniteCoefficient() {
        assertInvalid(AB_INPUTS, """
                {"classes": ["no", "yes"], "coefficients": [{"a": 1e999, "b": 1}], "intercepts": [0]}
                """, "'coefficients[0].a' must be a finite number");
    }

    @Test
    void rejectsANonNumericInput() {
        List<InputSpec> inputs =
                List.of(new InputSpec("a", InputSpec.Type.NUMBER, true), new InputSpec("b", InputSpec.Type.BOOLEAN,
                        true));

        assertInvalid(inputs, BINARY, "input 'b'", "boolean", "number or integer");
    }

    @Test
    void rejectsAnOptionalInput() {
        List<InputSpec> inputs =
                List.of(new InputSpec("a", InputSpec.Type.NUMBER, false), new InputSpec("b", InputSpec.Type.INTEGER,
                        true));

        assertInvalid(inputs, BINARY, "input 'a' is optional");
    }

    private static String extremeBinary(double intercept) {
        return """
                {"classes": ["no", "yes"], "coefficients": [{"a": 0, "b": 0}], "intercepts": [%s]}
                """.formatted(intercept);
    }

    private static String extreme(String multiClass, double i1, double i2, double i3) {
        return """
                {"classes": ["c1", "c2", "c3"], "coefficients": [{"a": 0, "b": 0}, {"a": 0, "b": 0}, {"a": 0, "b": 0}],
                 "intercepts": [%s, %s, %s], "multi_class": "%s"}
                """.formatted(i1, i2, i3, multiClass);
    }

    private Evaluator build(List<InputSpec> inputs, String parameters) throws Exception {
        return algorithm.build(ModelSpecs.of(inputs, JSON.readTree(parameters)), ModelSpecs.CONTEXT);
    }

    private void assertInvalid(List<InputSpec> inputs, String parameters, String... messageParts) {
        assertThatThrownBy(() -> build(inputs, parameters))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContainingAll(messageParts);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Double> probabilities(Map<String, Object> prediction) {
        return (Map<String, Double>) prediction.get("probabilities");
    }

    /** Checks the label and each probability, in class order, and that they are numbers summing to 1. */
    private static void assertPrediction(Map<String, Object> prediction, String label, double... expected) {
        assertThat(prediction.get("label")).isEqualTo(label);
        List<Double> actual = List.copyOf(probabilities(prediction).values());
        assertThat(actual).hasSize(expected.length).allSatisfy(p -> assertThat(p).isNotNaN().isBetween(0.0, 1.0));
        for (int k = 0; k < expected.length; k++) {
            assertThat(actual.get(k)).as("probability %d", k).isCloseTo(expected[k], within(TOLERANCE));
        }
        assertThat(actual.stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, within(1e-12));
    }
}
