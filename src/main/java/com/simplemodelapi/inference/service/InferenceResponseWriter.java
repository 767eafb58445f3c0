package com.simplemodelapi.inference.service;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.simplemodelapi.catalog.ServedModel;
import com.simplemodelapi.models.api.OutputField;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes an infer answer: one output tensor per model output asked for, in the model's order. A label or prediction
 * is [N]; probabilities are FP64 [N, C], row-major, columns in the model's class order; any other output (an ONNX
 * graph's own) keeps its name, its element type and its per-row shape, [N, ...].
 */
public final class InferenceResponseWriter {
    private final JsonFactory factory;

    /** {@code factory} is the application's, so numbers are written exactly as /v1 writes them. */
    public InferenceResponseWriter(JsonFactory factory) {
        this.factory = factory;
    }

    public byte[] write(ServedModel model, String id, List<OutputField> outputs,
                        List<Map<String, Object>> predictions) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + 32 * predictions.size());
        try (JsonGenerator out = factory.createGenerator(bytes)) {
            out.writeStartObject();
            out.writeStringField("model_name", model.name());
            out.writeStringField("model_version", Integer.toString(model.version()));
            if (id != null) {
                out.writeStringField("id", id);
            }
            out.writeArrayFieldStart("outputs");
            for (OutputField output : outputs) {
                writeTensor(out, output, predictions);
            }
            out.writeEndArray();
            out.writeEndObject();
        }
        return bytes.toByteArray();
    }

    private static void writeTensor(JsonGenerator out, OutputField output, List<Map<String, Object>> predictions)
            throws IOException {
        String name = output.name();
        int rows = predictions.size();
        out.writeStartObject();
        out.writeStringField("name", name);
        switch (output.type()) {
            case "number" -> {
                header(out, "FP64", rows);
                out.writeArrayFieldStart("data");
                for (Map<String, Object> prediction : predictions) {
                    out.writeNumber(((Number) value(prediction, name)).doubleValue());
                }
            }
            case "integer" -> {
                header(out, "INT64", rows);
                out.writeArrayFieldStart("data");
                for (Map<String, Object> prediction : predictions) {
                    out.writeNumber(((Number) value(prediction, name)).longValue());
                }
            }
            case "string" -> {
                header(out, "BYTES", rows);
                // MLServer's codecs decode a BYTES output to strings only when told so.
                out.writeObjectFieldStart("parameters");
                out.writeStringField("content_type", "str");
                out.writeEndObject();
                out.writeArrayFieldStart("data");
                for (Map<String, Object> prediction : predictions) {
                    out.writeString(String.valueOf(value(prediction, name)));
                }
            }
            case "boolean" -> {
                header(out, "BOOL", rows);
                out.writeArrayFieldStart("data");
                for (Map<String, Object> prediction : predictions) {
                    out.writeBoolean((Boolean) value(prediction, name));
                }
            }
            case "object" -> writeByKey(out, name, classes(output, predictions), predictions);
            default -> writeArrays(out, name, predictions);
        }
        out.writeEndArray();
        out.writeEndObject();
    }

    /** The classes in order: the model's, or, when it does not say, the first answer's. */
    private static List<String> classes(OutputField output, List<Map<String, Object>> predictions) {
        if (!output.classes().isEmpty()) {
            return output.classes();
        }
        Object first = value(predictions.get(0), output.name());
        List<String> keys = new ArrayList<>();
        ((Map<?, ?>) first).keySet().forEach(key -> keys.add(String.valueOf(key)));
        return keys;
    }

    private static void writeByKey(JsonGenerator out, String name, List<String> classes,
                                   List<Map<String, Object>> predictions) throws IOException {
        out.writeStringField("datatype", "FP64");
        out.writeArrayFieldStart("shape");
        out.writeNumber(predictions.size());
        out.writeNumber(classes.size());
        out.writeEndArray();
        out.writeArrayFieldStart("data");
        for (Map<String, Object> prediction : predictions) {
            Map<?, ?> byClass = (Map<?, ?>) value(prediction, name);
            if (byClass.size() != classes.size()) {
                throw new IllegalStateException("Output '" + name + "' holds " + byClass.keySet()
                        + ", not the classes " + classes);
            }
            for (String label : classes) {
                Object p = byClass.get(label);
                if (p == null) {
                    throw new IllegalStateException("Output '" + name + "' has no value for class " + label);
                }
                out.writeNumber(((Number) p).doubleValue());
            }
        }
    }

    /** An output whose value per row is an array (of numbers, strings or booleans, nested or not). */
    private static void writeArrays(JsonGenerator out, String name, List<Map<String, Object>> predictions)
            throws IOException {
        Object first = value(predictions.get(0), name);
        List<Integer> rowShape = new ArrayList<>();
        Class<?> element = first.getClass();
        for (Object level = first; level != null && level.getClass().isArray(); ) {
            rowShape.add(Array.getLength(level));
            element = level.getClass().getComponentType();
            level = Array.getLength(level) > 0 ? Array.get(level, 0) : null;
        }
        out.writeStringField("datatype", datatypeOf(element));
        out.writeArrayFieldStart("shape");
        out.writeNumber(predictions.size());
        for (int size : rowShape) {
            out.writeNumber(size);
        }
        out.writeEndArray();
        out.writeArrayFieldStart("data");
        for (Map<String, Object> prediction : predictions) {
            writeFlat(out, value(prediction, name));
        }
    }

    private static void writeFlat(JsonGenerator out, Object value) throws IOException {
        if (value != null && value.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                writeFlat(out, Array.get(value, i));
            }
        } else if (value instanceof Float f) {
            out.writeNumber(f);
        } else if (value instanceof Double d) {
            out.writeNumber(d);
        } else if (value instanceof Number n) {
            out.writeNumber(n.longValue());
        } else if (value instanceof Boolean b) {
            out.writeBoolean(b);
        } else {
            out.writeString(String.valueOf(value));
        }
    }

    private static String datatypeOf(Class<?> element) {
        if (element == float.class || element == Float.class) {
            return "FP32";
        }
        if (element == double.class || element == Double.class) {
            return "FP64";
        }
        if (element == long.class || element == Long.class) {
            return "INT64";
        }
        if (element == int.class || element == Integer.class) {
            return "INT32";
        }
        if (element == boolean.class || element == Boolean.class) {
            return "BOOL";
        }
        return "BYTES";
    }

    private static void header(JsonGenerator out, String datatype, int rows) throws IOException {
        out.writeStringField("datatype", datatype);
        out.writeArrayFieldStart("shape");
        out.writeNumber(rows);
        out.writeEndArray();
    }

    private static Object value(Map<String, Object> prediction, String output) {
        Object value = prediction.get(output);
        if (value == null) {
            throw new IllegalStateException("A prediction has no value for output '" + output + "'");
        }
        return value;
    }
}
