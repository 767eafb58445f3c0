package com.simplemodelapi.models.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/** What the API shows of a model version's artifact: never its bytes. {@code details} come from the algorithm. */
public record ArtifactView(String sha256, @JsonProperty("size_bytes") long sizeBytes,
                           @JsonAnyGetter Map<String, Object> details) {
}
