package com.simplemodelapi.inference.service;

import com.simplemodelapi.inference.model.TensorMetadata;
import com.simplemodelapi.models.api.InputField;
import com.simplemodelapi.models.api.OutputField;

import java.util.List;
import java.util.Map;

/** A model's inputs and outputs as the protocol's tensors. */
public final class ModelTensors {
    private ModelTensors() {
    }

    /** Each input is a column of one value per row. */
    public static TensorMetadata input(InputField input) {
        return new TensorMetadata(input.name(), Datatype.of(input.type()).name(), List.of(-1, 1), Map.of());
    }

    public static TensorMetadata output(OutputField output) {
        return switch (output.type()) {
            case "number" -> vector(output, "FP64");
            case "integer" -> vector(output, "INT64");
            case "string" -> vector(output, "BYTES");
            case "boolean" -> vector(output, "BOOL");
            case "object" -> new TensorMetadata(output.name(), "FP64",
                    List.of(-1, output.classes().isEmpty() ? -1 : output.classes().size()),
                    output.classes().isEmpty() ? Map.of() : Map.of("classes", output.classes()));
            // An ONNX graph's own output: its element type and row shape are known only from an answer.
            default -> new TensorMetadata(output.name(), "FP32", List.of(-1, -1), Map.of());
        };
    }

    private static TensorMetadata vector(OutputField output, String datatype) {
        return new TensorMetadata(output.name(), datatype, List.of(-1), Map.of());
    }
}
