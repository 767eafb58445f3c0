package com.simplemodelapi.models.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;

/** A model version as the API shows it. */
public record ModelView(String name, int version, String description, String algorithm, List<InputField> inputs,
                        List<OutputField> outputs, @JsonProperty("created_at") Instant createdAt) {
}
