package com.simplemodelapi.spi;

/** One output every prediction of a model holds, with the JSON type of its value. */
public record OutputSpec(String name, Type type) {

    public enum Type {
        NUMBER, INTEGER, STRING, BOOLEAN, OBJECT, ARRAY
    }
}
