package com.simplemodelapi.inference.service;

import com.simplemodelapi.models.api.InputType;

import java.util.Arrays;
import java.util.Optional;

/** The tensor datatypes this server reads, and which model input type each one feeds. */
public enum Datatype {
    FP64(InputType.NUMBER),
    FP32(InputType.NUMBER),
    INT64(InputType.INTEGER),
    INT32(InputType.INTEGER),
    BYTES(InputType.STRING),
    BOOL(InputType.BOOLEAN);

    private final InputType feeds;

    Datatype(InputType feeds) {
        this.feeds = feeds;
    }

    public InputType feeds() {
        return feeds;
    }

    public static Optional<Datatype> named(String name) {
        return Arrays.stream(values()).filter(datatype -> datatype.name().equals(name)).findFirst();
    }

    /** The datatype this server gives an input of this type in its metadata. */
    public static Datatype of(InputType type) {
        return switch (type) {
            case NUMBER -> FP64;
            case INTEGER -> INT64;
            case STRING -> BYTES;
            case BOOLEAN -> BOOL;
        };
    }

    /** The ones that feed an input type, for messages: "FP64 or FP32". */
    public static String namesFeeding(InputType type) {
        return String.join(" or ", Arrays.stream(values()).filter(datatype -> datatype.feeds == type)
                .map(Datatype::name).toList());
    }
}
