package com.simplemodelapi.models.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.simplemodelapi.spi.OutputSpec;

import java.util.List;
import java.util.Locale;

/**
 * One named output of a model, as the API shows it. {@code type} is a JSON type name: {@code number},
 * {@code integer}, {@code string}, {@code boolean}, {@code object} or {@code array}. {@code classes}, shown only for a
 * classifier's probabilities, are the classes in the order its answers hold them (and /v2 lays out its columns in).
 */
public record OutputField(String name, String type,
                          @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> classes) {

    public OutputField {
        classes = List.copyOf(classes);
    }

    public OutputField(String name, String type) {
        this(name, type, List.of());
    }

    public static OutputField of(OutputSpec output) {
        return new OutputField(output.name(), output.type().name().toLowerCase(Locale.ROOT), output.keys());
    }
}
