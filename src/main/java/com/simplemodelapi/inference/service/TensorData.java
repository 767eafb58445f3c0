package com.simplemodelapi.inference.service;

/** A tensor's values, flattened row-major, in the Java type its datatype reads into. */
public sealed interface TensorData {
    int length();

    /** Value {@code i} as an evaluator takes it: Double, Long, String or Boolean. */
    Object value(int i);

    record Doubles(double[] values) implements TensorData {
        @Override
        public int length() {
            return values.length;
        }

        @Override
        public Object value(int i) {
            return values[i];
        }
    }

    record Longs(long[] values) implements TensorData {
        @Override
        public int length() {
            return values.length;
        }

        @Override
        public Object value(int i) {
            return values[i];
        }
    }

    record Strings(String[] values) implements TensorData {
        @Override
        public int length() {
            return values.length;
        }

        @Override
        public Object value(int i) {
            return values[i];
        }
    }

    record Booleans(boolean[] values) implements TensorData {
        @Override
        public int length() {
            return values.length;
        }

        @Override
        public Object value(int i) {
            return values[i];
        }
    }
}
