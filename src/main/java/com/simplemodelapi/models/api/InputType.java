package com.simplemodelapi.models.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import com.simplemodelapi.spi.InputSpec;

import java.util.Arrays;
import java.util.Locale;

/** The JSON type a model input accepts, by its name in JSON. */
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

    public InputSpec.Type toSpec() {
        return InputSpec.Type.valueOf(name());
    }
}
