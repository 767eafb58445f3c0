package com.simplemodelapi.prediction.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.error.ApiException;
import com.simplemodelapi.error.ClientText;
import com.simplemodelapi.models.api.InputField;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks every instance against the model's inputs and turns the JSON into the plain Java values evaluators take.
 * It reports every problem at once, one detail each, so a client can fix a whole batch in one go.
 */
public final class InputValidator {
    static final int MAX_DETAILS = 100;

    private InputValidator() {
    }

    public static List<Map<String, Object>> validate(List<InputField> inputs, List<Map<String, JsonNode>> instances) {
        Set<String> declared = inputs.stream().map(InputField::name).collect(Collectors.toSet());
        List<Map<String, Object>> problems = new ArrayList<>();
        List<Map<String, Object>> valid = new ArrayList<>(instances.size());
        for (int i = 0; i < instances.size(); i++) {
            Map<String, JsonNode> instance = instances.get(i);
            Map<String, Object> values = new HashMap<>();
            for (String field : instance.keySet()) {
                if (!declared.contains(field)) {
                    problems.add(problem(i, ClientText.isShowable(field) ? field : null, "unknown_field",
                            "This model has no such input."));
                }
            }
            for (InputField input : inputs) {
                JsonNode value = instance.get(input.name());
                if (value == null || value.isNull()) {
                    if (input.required()) {
                        problems.add(problem(i, input.name(), "missing", "This input is required."));
                    }
                    continue;
                }
                Object converted = convert(input, value);
                if (converted instanceof Problem p) {
                    problems.add(problem(i, input.name(), p.code(), p.message()));
                } else {
                    values.put(input.name(), converted);
                }
            }
            valid.add(values);
        }
        if (!problems.isEmpty()) {
            int total = problems.size();
            throw new ApiException(422, "invalid_inputs",
                    total + (total == 1 ? " input does" : " inputs do") + " not fit the model; see details"
                            + (total > MAX_DETAILS ? " (the first " + MAX_DETAILS + " are listed)." : "."),
                    problems.subList(0, Math.min(total, MAX_DETAILS)));
        }
        return valid;
    }

    private record Problem(String code, String message) {
    }

    private static Object convert(InputField input, JsonNode value) {
        return switch (input.type()) {
            case NUMBER -> {
                if (!value.isNumber()) {
                    yield wrongType(input);
                }
                double d = value.doubleValue();
                yield Double.isFinite(d) ? (Object) d : new Problem("not_finite", "The number must be finite.");
            }
            case INTEGER -> {
                if (!value.isNumber()) {
                    yield wrongType(input);
                }
                if (value.isIntegralNumber()) {
                    yield value.canConvertToLong() ? (Object) value.longValue()
                            : new Problem("out_of_range", "The integer does not fit in 64 bits.");
                }
                double d = value.doubleValue();
                if (!Double.isFinite(d)) {
                    yield new Problem("not_finite", "The number must be finite.");
                }
                if (d != Math.rint(d)) {
                    yield wrongType(input);
                }
                yield d >= -0x1p63 && d < 0x1p63 ? (Object) (long) d
                        : new Problem("out_of_range", "The integer does not fit in 64 bits.");
            }
            case STRING -> value.isTextual() ? value.textValue() : wrongType(input);
            case BOOLEAN -> value.isBoolean() ? value.booleanValue() : wrongType(input);
        };
    }

    private static Problem wrongType(InputField input) {
        return new Problem("wrong_type", "Expected " + article(input.type().jsonName()) + ".");
    }

    private static String article(String type) {
        return (type.startsWith("i") ? "an " : "a ") + type;
    }

    /** One detail; {@code field} is left out when it is null (a name the client sent that is not showable). */
    private static Map<String, Object> problem(int instance, String field, String problem, String message) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("instance", instance);
        if (field != null) {
            detail.put("field", field);
        }
        detail.put("problem", problem);
        detail.put("message", message);
        return detail;
    }
}
