package com.simplemodelapi.spi;

/** One declared input of a model. Values of an optional input may be absent from an instance. */
public record InputSpec(String name, Type type, boolean required) {

    /** The JSON type an input accepts, and the Java type its values reach an {@link Evaluator} as. */
    public enum Type {
        /** {@code Double}. */
        NUMBER,
        /** {@code Long}. */
        INTEGER,
        /** {@code String}. */
        STRING,
        /** {@code Boolean}. */
        BOOLEAN;

        public boolean isNumeric() {
            return this == NUMBER || this == INTEGER;
        }
    }
}
