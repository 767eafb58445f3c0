package com.simplemodelapi.models.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** A model file as an operator writes it for {@code models add}. */
public record ModelDefinition(String name, String description, String algorithm, List<InputField> inputs,
                              JsonNode parameters) {
}
