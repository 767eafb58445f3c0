package com.simplemodelapi.models.model;

/**
 * One named output of a model. {@code type} is a JSON type name: {@code number}, {@code integer}, {@code string},
 * {@code boolean}, {@code object} or {@code array}.
 */
public record OutputField(String name, String type) {
}
