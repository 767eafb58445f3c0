package com.simplemodelapi.models.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;

/**
 * A model version as the API shows it. {@code available} is false for a version this server could not load, which
 * calls pinned to it get 503 for. {@code artifact} is there only for versions built from one.
 */
public record ModelView(String name, int version, String description, String algorithm, List<InputField> inputs,
                        List<OutputField> outputs, @JsonProperty("created_at") Instant createdAt, boolean available,
                        @JsonInclude(JsonInclude.Include.NON_NULL) ArtifactView artifact) {
}
