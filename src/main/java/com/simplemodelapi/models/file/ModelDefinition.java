package com.simplemodelapi.models.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.models.api.InputField;

import java.util.List;

/**
 * A model file as an operator writes it for {@code models add}. {@code artifact}, for algorithms built from a file
 * such as {@code onnx}, is that file's path relative to the model file.
 */
public record ModelDefinition(String name, String description, String algorithm, List<InputField> inputs,
                              JsonNode parameters, String artifact) {
}
