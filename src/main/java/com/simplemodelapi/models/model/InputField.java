package com.simplemodelapi.models.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One named input of a model. Inputs are required unless the model file says otherwise. */
public record InputField(String name, InputType type, boolean required) {

    @JsonCreator
    public static InputField of(@JsonProperty("name") String name,
                                @JsonProperty("type") InputType type,
                                @JsonProperty("required") Boolean required) {
        return new InputField(name, type, required == null || required);
    }
}
