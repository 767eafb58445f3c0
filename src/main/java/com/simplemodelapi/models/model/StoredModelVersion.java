package com.simplemodelapi.models.model;

import java.time.Instant;

/** A row of {@code model_versions}, with its JSON columns as text. */
public record StoredModelVersion(long id, String name, int version, String description, String algorithm,
                                 String inputs, String parameters, Instant createdAt) {
}
