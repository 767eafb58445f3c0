package com.simplemodelapi.inference.service;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import com.simplemodelapi.error.ApiException;
import com.simplemodelapi.error.ClientText;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads an infer request straight from the body's tokens: each tensor's data goes into one array of its datatype's
 * Java type, with no object per value and no map per record. Everything wrong with a tensor is a 400 naming it.
 * Syntax errors (and a field given twice) surface as Jackson's exceptions, which the error mappers answer.
 */
public final class InferenceRequestReader {
    private final JsonFactory factory;

    /** {@code factory} is the application's, so numbers read exactly as /v1 reads them. */
    public InferenceRequestReader(JsonFactory factory) {
        this.factory = factory;
    }

    public InferenceRequest read(InputStream body) throws IOException {
        try (JsonParser parser = factory.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw invalid("The body is empty. Send {\"inputs\": [...]} with one tensor per model input.");
            }
            if (first != JsonToken.START_OBJECT) {
                throw invalid("The body must be a JSON object with \"inputs\", one tensor per model input.");
            }
            String id = null;
            List<InputTensor> inputs = null;
            List<String> outputs = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "id" -> id = readId(parser, value);
                    case "parameters" -> skipParameters(parser, value, "The request's \"parameters\"");
                    case "inputs" -> inputs = readInputs(parser, value);
                    case "outputs" -> outputs = readOutputs(parser, value);
                    // KServe's client names the model in the body too; the path says which model is called.
                    case "model_name" -> parser.skipChildren();
                    default -> throw invalid("The request has an unknown field" + quoted(field)
                            + "; an infer request takes id, parameters, inputs and outputs.");
                }
            }
            if (parser.nextToken() != null) {
                throw invalid("The body holds more than one JSON value; send one infer request.");
            }
            if (inputs == null || inputs.isEmpty()) {
                throw invalid("The request has no tensors in \"inputs\"; send one tensor per model input.");
            }
            return new InferenceRequest(id, List.copyOf(inputs), outputs);
        }
    }

    private static String readId(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.VALUE_STRING) {
            throw invalid("The request's \"id\" must be a string.");
        }
        return parser.getText();
    }

    /** Parameters are accepted and ignored, but they must be an object (or null), as the protocol says. */
    private static void skipParameters(JsonParser parser, JsonToken value, String what) throws IOException {
        if (value == JsonToken.START_OBJECT) {
            parser.skipChildren();
        } else if (value != JsonToken.VALUE_NULL) {
            throw invalid(what + " must be an object.");
        }
    }

    private static List<InputTensor> readInputs(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            throw invalid("The request's \"inputs\" must be an array of tensors.");
        }
        List<InputTensor> inputs = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.START_OBJECT) {
                throw invalid("Input " + inputs.size() + " must be a tensor object with name, shape, datatype"
                        + " and data.");
            }
            inputs.add(readTensor(parser, inputs.size()));
        }
        return inputs;
    }

    private static InputTensor readTensor(JsonParser parser, int index) throws IOException {
        String name = null;
        List<Long> shape = null;
        String datatypeName = null;
        TensorData data = null;
        TokenBuffer early = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "name" -> {
                    if (value != JsonToken.VALUE_STRING) {
                        throw invalid("Input " + index + " needs a \"name\" that is a string.");
                    }
                    name = parser.getText();
                }
                case "shape" -> shape = readShape(parser, value, name, index);
                case "datatype" -> {
                    if (value != JsonToken.VALUE_STRING) {
                        throw invalid(tensor(name, index) + " needs a \"datatype\" that is a string.");
                    }
                    datatypeName = parser.getText();
                }
                case "parameters" -> skipParameters(parser, value, "The \"parameters\" of " + tensor(name, index));
                case "data" -> {
                    if (value != JsonToken.START_ARRAY) {
                        throw invalid(tensor(name, index) + " needs its \"data\" as an array.");
                    }
                    if (datatypeName == null) {
                        // The datatype came after the data (every client we know sends it first): keep the tokens.
                        early = TokenBuffer.asCopyOfValue(parser);
                    } else {
                        data = readData(parser, datatype(datatypeName, name, index), name, index);
                    }
                }
                default -> throw invalid(tensor(name, index) + " has an unknown field" + quoted(field)
                        + "; a tensor takes name, shape, datatype, parameters and data.");
            }
        }
        if (name == null || shape == null || datatypeName == null || (data == null && early == null)) {
            throw invalid(tensor(name, index) + " needs name, shape, datatype and data.");
        }
        Datatype datatype = datatype(datatypeName, name, index);
        if (data == null) {
            try (JsonParser buffered = early.asParser()) {
                buffered.nextToken();
                data = readData(buffered, datatype, name, index);
            }
        }
        long values = valuesIn(shape, name, index);
        if (values != data.length()) {
            throw invalid(tensor(name, index) + " has shape " + shape + ", which holds " + values + " values, but its data holds "
                    + data.length() + ".");
        }
        return new InputTensor(name, datatype, List.copyOf(shape), data);
    }

    private static List<Long> readShape(JsonParser parser, JsonToken value, String name, int index)
            throws IOException {
        if (value != JsonToken.START_ARRAY) {
            throw invalid(tensor(name, index) + " needs its \"shape\" as an array of sizes, such as [2, 1].");
        }
        List<Long> shape = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() != JsonParser.NumberType.INT
                    || parser.getIntValue() < 0 || shape.size() == 8) {
                throw invalid(tensor(name, index) + " has a \"shape\" that is not a short list of sizes, such as [2, 1].");
            }
            shape.add((long) parser.getIntValue());
        }
        return shape;
    }

    private static long valuesIn(List<Long> shape, String name, int index) {
        long values = 1;
        for (long size : shape) {
            try {
                values = Math.multiplyExact(values, size);
            } catch (ArithmeticException e) {
                throw invalid(tensor(name, index) + " has a shape too large to hold: " + shape + ".");
            }
        }
        return values;
    }

    private static Datatype datatype(String datatype, String name, int index) {
        return Datatype.named(datatype).orElseThrow(() -> invalid(tensor(name, index) + " has datatype"
                + (ClientText.isShowable(datatype) ? " " + datatype : " that is not") + " one this server reads; it reads "
                + String.join(", ", Arrays.stream(Datatype.values()).map(Datatype::name).toList()) + "."));
    }

    /** The data, flat or nested, row-major. The current token is the data's opening bracket. */
    private static TensorData readData(JsonParser parser, Datatype datatype, String name, int index)
            throws IOException {
        Column column = switch (datatype) {
            case FP64, FP32 -> new DoubleColumn(name, index, datatype);
            case INT64, INT32 -> new LongColumn(name, index, datatype);
            case BYTES -> new StringColumn(name, index);
            case BOOL -> new BooleanColumn(name, index);
        };
        readValues(parser, column);
        return column.build();
    }

    private static void readValues(JsonParser parser, Column column) throws IOException {
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token == JsonToken.START_ARRAY) {
                readValues(parser, column);
            } else {
                column.add(parser, token);
            }
        }
    }

    private static List<String> readOutputs(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.START_ARRAY) {
            throw invalid("The request's \"outputs\" must be an array of {\"name\": ...}.");
        }
        List<String> names = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.START_OBJECT) {
                throw invalid("Requested output " + names.size() + " must be an object with a \"name\".");
            }
            String name = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken fieldValue = parser.nextToken();
                if (field.equals("name") && fieldValue == JsonToken.VALUE_STRING) {
                    name = parser.getText();
                } else if (field.equals("parameters")) {
                    skipParameters(parser, fieldValue, "The \"parameters\" of requested output " + names.size());
                } else {
                    throw invalid("Requested output " + names.size() + " takes a \"name\" (a string) and"
                            + " \"parameters\" only.");
                }
            }
            if (name == null) {
                throw invalid("Requested output " + names.size() + " needs a \"name\".");
            }
            names.add(name);
        }
        return names;
    }

    /** How messages name a tensor: by its name when that is short and printable, else by its place. */
    static String tensor(String name, int index) {
        return name != null && ClientText.isShowable(name) ? "Tensor '" + name + "'" : "Input " + index;
    }

    private static String quoted(String field) {
        return ClientText.isShowable(field) ? " '" + field + "'" : "";
    }

    static ApiException invalid(String message) {
        return ApiException.badRequest("invalid_tensor", message);
    }

    /** One tensor's values as they are read; messages are made only when something is wrong. */
    private abstract static class Column {
        final String name;
        final int index;
        int size;

        Column(String name, int index) {
            this.name = name;
            this.index = index;
        }

        abstract void add(JsonParser parser, JsonToken token) throws IOException;

        abstract TensorData build();

        abstract String expected();

        String what() {
            return tensor(name, index);
        }

        ApiException wrong(JsonToken token) {
            return invalid(what() + " holds " + describe(token) + " at position " + size + "; its datatype takes "
                    + expected() + ".");
        }

        static int grown(int length) {
            return Math.max(16, length * 2);
        }
    }

    private static final class DoubleColumn extends Column {
        private double[] values = new double[16];

        private final Datatype datatype;

        DoubleColumn(String name, int index, Datatype datatype) {
            super(name, index);
            this.datatype = datatype;
        }

        @Override
        String expected() {
            return "numbers (" + datatype + ")";
        }

        @Override
        void add(JsonParser parser, JsonToken token) throws IOException {
            if (token != JsonToken.VALUE_NUMBER_FLOAT && token != JsonToken.VALUE_NUMBER_INT) {
                throw wrong(token);
            }
            double value = parser.getDoubleValue();
            if (!Double.isFinite(value)) {
                throw invalid(what() + " holds a number too large to be finite at position " + size + ".");
            }
            if (size == values.length) {
                values = Arrays.copyOf(values, grown(size));
            }
            values[size++] = value;
        }

        @Override
        TensorData build() {
            return new TensorData.Doubles(Arrays.copyOf(values, size));
        }
    }

    private static final class LongColumn extends Column {
        private final Datatype datatype;
        private long[] values = new long[16];

        LongColumn(String name, int index, Datatype datatype) {
            super(name, index);
            this.datatype = datatype;
        }

        @Override
        String expected() {
            return "whole numbers (" + datatype + ")";
        }

        @Override
        void add(JsonParser parser, JsonToken token) throws IOException {
            long value;
            if (token == JsonToken.VALUE_NUMBER_INT) {
                if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw outOfRange();
                }
                value = parser.getLongValue();
            } else if (token == JsonToken.VALUE_NUMBER_FLOAT) {
                // As on /v1: a whole number written with a decimal point (4.0) is an integer.
                double d = parser.getDoubleValue();
                if (!Double.isFinite(d) || d != Math.rint(d)) {
                    throw wrong(token);
                }
                if (d < -0x1p63 || d >= 0x1p63) {
                    throw outOfRange();
                }
                value = (long) d;
            } else {
                throw wrong(token);
            }
            if (datatype == Datatype.INT32 && (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)) {
                throw outOfRange();
            }
            if (size == values.length) {
                values = Arrays.copyOf(values, grown(size));
            }
            values[size++] = value;
        }

        private ApiException outOfRange() {
            return invalid(what() + " holds a number at position " + size + " that does not fit " + datatype + ".");
        }

        @Override
        TensorData build() {
            return new TensorData.Longs(Arrays.copyOf(values, size));
        }
    }

    private static final class StringColumn extends Column {
        private String[] values = new String[16];

        StringColumn(String name, int index) {
            super(name, index);
        }

        @Override
        String expected() {
            return "strings (BYTES)";
        }

        @Override
        void add(JsonParser parser, JsonToken token) throws IOException {
            if (token != JsonToken.VALUE_STRING) {
                throw wrong(token);
            }
            if (size == values.length) {
                values = Arrays.copyOf(values, grown(size));
            }
            values[size++] = parser.getText();
        }

        @Override
        TensorData build() {
            return new TensorData.Strings(Arrays.copyOf(values, size));
        }
    }

    private static final class BooleanColumn extends Column {
        private boolean[] values = new boolean[16];

        BooleanColumn(String name, int index) {
            super(name, index);
        }

        @Override
        String expected() {
            return "true or false (BOOL)";
        }

        @Override
        void add(JsonParser parser, JsonToken token) {
            if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
                throw wrong(token);
            }
            if (size == values.length) {
                values = Arrays.copyOf(values, grown(size));
            }
            values[size++] = token == JsonToken.VALUE_TRUE;
        }

        @Override
        TensorData build() {
            return new TensorData.Booleans(Arrays.copyOf(values, size));
        }
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case START_OBJECT -> "an object";
            default -> "something else";
        };
    }
}
