package com.simplemodelapi.models.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.simplemodelapi.spi.InputSpec;

import java.util.List;

/**
 * One named input of a model, as the API shows it and as a model file declares it. Inputs are required unless the
 * model file says otherwise.
 */
public record InputField(String name, InputType type, boolean required) {

    @JsonCreator
    public static InputField of(@JsonProperty("name") String name,
                                @JsonProperty("type") InputType type,
                                @JsonProperty("required") Boolean required) {
        return new InputField(name, type, required == null || required);
    }

    /** The input as an algorithm sees it. */
    public InputSpec toSpec() {
        return new InputSpec(name, type.toSpec(), required);
    }

    public static List<InputSpec> toSpecs(List<InputField> inputs) {
        return inputs.stream().map(InputField::toSpec).toList();
    }
}
