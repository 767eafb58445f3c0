package com.simplemodelapi.models.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.models.api.ArtifactView;
import com.simplemodelapi.models.api.InputField;
import com.simplemodelapi.models.api.OutputField;

import java.time.Instant;
import java.util.List;

/**
 * Everything stored about one model version, for operators: what the API describes, plus its parameters, when it
 * was retired, and whether this process could build it ({@code loadError} says why not; its outputs are then
 * unknown).
 */
public record ModelDescription(String name, int version, String description, String algorithm, Instant createdAt,
                               Instant retiredAt, List<InputField> inputs, List<OutputField> outputs,
                               JsonNode parameters, ArtifactView artifact, String loadError) {
}
