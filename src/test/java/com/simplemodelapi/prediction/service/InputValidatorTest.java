package com.simplemodelapi.prediction.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.simplemodelapi.error.ApiException;
import com.simplemodelapi.error.ErrorBody;
import com.simplemodelapi.models.api.InputField;
import com.simplemodelapi.models.api.InputType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;

class InputValidatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final InputField NUM = new InputField("num", InputType.NUMBER, true);
    private static final InputField INT = new InputField("int", InputType.INTEGER, true);
    private static final InputField STR = new InputField("str", InputType.STRING, true);
    private static final InputField BOOL = new InputField("bool", InputType.BOOLEAN, true);

    /** Parses a JSON array of instances the way a request body's {@code instances} is read (keys keep their order). */
    private static List<Map<String, JsonNode>> instances(String json) {
        try {
            return JSON.readValue(json, new TypeReference<>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ErrorBody.Error rejected(List<InputField> inputs, String instancesJson) {
        return rejected(inputs, instances(instancesJson));
    }

    private static ErrorBody.Error rejected(List<InputField> inputs, List<Map<String, JsonNode>> instances) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> InputValidator.validate(inputs, instances));
        assertThat(e).as("validation should fail").isNotNull();
        assertThat(e.status()).isEqualTo(422);
        assertThat(e.body().error().code()).isEqualTo("invalid_inputs");
        return e.body().error();
    }

    /** The single problem reported for one instance with one input. */
    private static Map<String, Object> onlyProblem(InputField input, String instanceJson) {
        List<Map<String, Object>> details = rejected(List.of(input), "[" + instanceJson + "]").details();
        assertThat(details).hasSize(1);
        return details.get(0);
    }

    private static Map<String, Object> detail(int instance, String field, String problem, String message) {
        return Map.of("instance", instance, "field", field, "problem", problem, "message", message);
    }

    @Test
    void convertsEachTypeToThePlainJavaValueEvaluatorsTake() {
        List<Map<String, Object>> valid = InputValidator.validate(List.of(NUM, INT, STR, BOOL),
                instances("[{\"num\": 1.5, \"int\": 7, \"str\": \"hello\", \"bool\": true},"
                        + " {\"num\": 3, \"int\": -9223372036854775808, \"str\": \"\", \"bool\": false}]"));

        assertThat(valid).hasSize(2);
        assertThat(valid.get(0)).containsOnly(
                entry("num", 1.5), entry("int", 7L), entry("str", "hello"), entry("bool", true));
        // An integral JSON number given for a number input still reaches the evaluator as a Double.
        assertThat(valid.get(1)).containsOnly(
                entry("num", 3.0), entry("int", Long.MIN_VALUE), entry("str", ""), entry("bool", false));
        assertThat(valid.get(1).get("num")).isInstanceOf(Double.class);
        assertThat(valid.get(1).get("int")).isInstanceOf(Long.class);
    }

    @Test
    void acceptsTheLargestAndSmallestLongForAnInteger() {
        List<Map<String, Object>> valid = InputValidator.validate(List.of(INT),
                instances("[{\"int\": 9223372036854775807}, {\"int\": -9223372036854775808}]"));

        assertThat(valid).extracting(v -> v.get("int")).containsExactly(Long.MAX_VALUE, Long.MIN_VALUE);
    }

    @Test
    void acceptsAWholeFloatingPointNumberForAnInteger() {
        List<Map<String, Object>> valid = InputValidator.validate(List.of(INT),
                instances("[{\"int\": 3.0}, {\"int\": -4e2}]"));

        assertThat(valid.get(0).get("int")).isEqualTo(3L);
        assertThat(valid.get(1).get("int")).isEqualTo(-400L);
    }

    @Test
    void rejectsAFractionForAnInteger() {
        assertThat(onlyProblem(INT, "{\"int\": 2.5}"))
                .isEqualTo(detail(0, "int", "wrong_type", "Expected an integer."));
    }

    @Test
    void rejectsAnIntegerBeyond64Bits() {
        assertThat(onlyProblem(INT, "{\"int\": 9223372036854775808}"))
                .isEqualTo(detail(0, "int", "out_of_range", "The integer does not fit in 64 bits."));
        assertThat(onlyProblem(INT, "{\"int\": -9223372036854775809}"))
                .containsEntry("problem", "out_of_range");
    }

    @Test
    void reportsAWrongTypeForEachInputType() {
        assertThat(onlyProblem(NUM, "{\"num\": \"1.5\"}"))
                .isEqualTo(detail(0, "num", "wrong_type", "Expected a number."));
        assertThat(onlyProblem(NUM, "{\"num\": true}")).containsEntry("problem", "wrong_type");
        assertThat(onlyProblem(INT, "{\"int\": \"3\"}"))
                .isEqualTo(detail(0, "int", "wrong_type", "Expected an integer."));
        assertThat(onlyProblem(INT, "{\"int\": [3]}")).containsEntry("problem", "wrong_type");
        assertThat(onlyProblem(STR, "{\"str\": 5}"))
                .isEqualTo(detail(0, "str", "wrong_type", "Expected a string."));
        assertThat(onlyProblem(STR, "{\"str\": {\"a\": \"b\"}}")).containsEntry("problem", "wrong_type");
        assertThat(onlyProblem(BOOL, "{\"bool\": \"true\"}"))
                .isEqualTo(detail(0, "bool", "wrong_type", "Expected a boolean."));
        assertThat(onlyProblem(BOOL, "{\"bool\": 1}")).containsEntry("problem", "wrong_type");
    }

    @Test
    void rejectsNumbersThatAreNotFinite() {
        // JSON has no literal for infinity, but a number too large for a double parses as one.
        assertThat(onlyProblem(NUM, "{\"num\": 1e400}"))
                .isEqualTo(detail(0, "num", "not_finite", "The number must be finite."));
        assertThat(onlyProblem(INT, "{\"int\": -1e400}"))
                .isEqualTo(detail(0, "int", "not_finite", "The number must be finite."));

        Map<String, JsonNode> nan = Map.of("num", DoubleNode.valueOf(Double.NaN));
        assertThat(rejected(List.of(NUM), List.of(nan)).details())
                .containsExactly(detail(0, "num", "not_finite", "The number must be finite."));
    }

    @Test
    void reportsAMissingRequiredInput() {
        assertThat(onlyProblem(NUM, "{}"))
                .isEqualTo(detail(0, "num", "missing", "This input is required."));
    }

    @Test
    void countsNullAsMissing() {
        assertThat(onlyProblem(STR, "{\"str\": null}"))
                .isEqualTo(detail(0, "str", "missing", "This input is required."));

        Map<String, JsonNode> javaNull = new HashMap<>();
        javaNull.put("str", null);
        assertThat(rejected(List.of(STR), List.of(javaNull)).details())
                .containsExactly(detail(0, "str", "missing", "This input is required."));
        assertThat(rejected(List.of(STR), List.of(Map.of("str", NullNode.getInstance()))).details())
                .containsExactly(detail(0, "str", "missing", "This input is required."));
    }

    @Test
    void leavesAnAbsentOptionalInputOutOfTheValues() {
        InputField optional = new InputField("note", InputType.STRING, false);

        List<Map<String, Object>> valid = InputValidator.validate(List.of(NUM, optional),
                instances("[{\"num\": 1}, {\"num\": 2, \"note\": null}, {\"num\": 3, \"note\": \"hi\"}]"));

        assertThat(valid.get(0)).containsOnlyKeys("num");
        assertThat(valid.get(1)).containsOnlyKeys("num");
        assertThat(valid.get(2)).containsOnly(entry("num", 3.0), entry("note", "hi"));
    }

    @Test
    void stillChecksTheTypeOfAnOptionalInputThatIsSent() {
        InputField optional = new InputField("note", InputType.STRING, false);

        assertThat(onlyProblem(optional, "{\"note\": 3}"))
                .isEqualTo(detail(0, "note", "wrong_type", "Expected a string."));
    }

    @Test
    void reportsAFieldTheModelDoesNotHave() {
        assertThat(rejected(List.of(NUM), "[{\"num\": 1, \"nmu\": 2}]").details())
                .containsExactly(detail(0, "nmu", "unknown_field", "This model has no such input."));
    }

    @Test
    void anUnknownFieldWhoseNameIsLongOrNotPrintableIsReportedWithoutItsName() {
        for (String name : new String[] {"n".repeat(65), "<b>\\u0007</b>", "\\u00fcber"}) {
            assertThat(rejected(List.of(NUM), "[{\"num\": 1, \"" + name + "\": 2}]").details()).as(name)
                    .containsExactly(Map.of("instance", 0, "problem", "unknown_field",
                            "message", "This model has no such input."));
        }
        assertThat(rejected(List.of(NUM), "[{\"num\": 1, \"" + "n".repeat(64) + "\": 2}]").details())
                .containsExactly(detail(0, "n".repeat(64), "unknown_field", "This model has no such input."));
    }

    @Test
    void listsEveryProblemInInstanceOrderWithUnknownFieldsFirstThenInputsInDeclaredOrder() {
        ErrorBody.Error error = rejected(List.of(NUM, INT, STR), "["
                + "{\"zzz\": 1, \"str\": 5, \"aaa\": 2, \"num\": \"x\"},"
                + "{\"num\": 1, \"int\": 2, \"str\": \"ok\"},"
                + "{\"int\": 2.5}"
                + "]");

        assertThat(error.details()).containsExactly(
                detail(0, "zzz", "unknown_field", "This model has no such input."),
                detail(0, "aaa", "unknown_field", "This model has no such input."),
                detail(0, "num", "wrong_type", "Expected a number."),
                detail(0, "int", "missing", "This input is required."),
                detail(0, "str", "wrong_type", "Expected a string."),
                detail(2, "num", "missing", "This input is required."),
                detail(2, "int", "wrong_type", "Expected an integer."),
                detail(2, "str", "missing", "This input is required."));
        assertThat(error.details().get(0).keySet()).containsExactly("instance", "field", "problem", "message");
        assertThat(error.message()).isEqualTo("8 inputs do not fit the model; see details.");
    }

    @Test
    void saysOneInputWhenThereIsOneProblem() {
        assertThat(rejected(List.of(NUM), "[{}]").message())
                .isEqualTo("1 input does not fit the model; see details.");
    }

    @Test
    void listsAllOfExactlyOneHundredProblems() {
        ErrorBody.Error error = rejected(List.of(NUM), missingNumInstances(100));

        assertThat(error.details()).hasSize(100);
        assertThat(error.message()).isEqualTo("100 inputs do not fit the model; see details.");
    }

    @Test
    void capsTheDetailsAtOneHundredAndSaysSo() {
        ErrorBody.Error error = rejected(List.of(NUM), missingNumInstances(250));

        assertThat(error.details()).hasSize(100);
        assertThat(error.details()).extracting(d -> d.get("instance"))
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 100).boxed().toList());
        assertThat(error.message())
                .isEqualTo("250 inputs do not fit the model; see details (the first 100 are listed).");
    }

    @Test
    void returnsOneValueMapPerInstanceInOrder() {
        List<Map<String, Object>> valid = InputValidator.validate(List.of(INT),
                instances("[{\"int\": 1}, {\"int\": 2}, {\"int\": 3}]"));

        assertThat(valid).extracting(v -> v.get("int")).containsExactly(1L, 2L, 3L);
    }

    @Test
    void acceptsAnEmptyBatch() {
        assertThat(InputValidator.validate(List.of(NUM), List.of())).isEmpty();
    }

    private static List<Map<String, JsonNode>> missingNumInstances(int count) {
        List<Map<String, JsonNode>> instances = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            instances.add(Map.of());
        }
        return instances;
    }
}
