package com.simplemodelapi.models.api;

import com.simplemodelapi.spi.OutputSpec;

import java.util.Locale;

/**
 * One named output of a model, as the API shows it. {@code type} is a JSON type name: {@code number},
 * {@code integer}, {@code string}, {@code boolean}, {@code object} or {@code array}.
 */
public record OutputField(String name, String type) {

    public static OutputField of(OutputSpec output) {
        return new OutputField(output.name(), output.type().name().toLowerCase(Locale.ROOT));
    }
}
