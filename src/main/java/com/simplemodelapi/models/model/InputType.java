package com.simplemodelapi.models.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;

/** The JSON type a model input accepts. Values reach an {@code Evaluator} as Double, Long, String or Boolean. */
public enum InputType {
    NUMBER, INTEGER, STRING, BOOLEAN;

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static InputType fromJson(String value) {
        return Arrays.stream(values())
                .filter(type -> type.jsonName().equals(value))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown input type '" + value + "'; use number, integer, string or boolean"));
    }

    public boolean isNumeric() {
        return this == NUMBER || this == INTEGER;
    }
}
