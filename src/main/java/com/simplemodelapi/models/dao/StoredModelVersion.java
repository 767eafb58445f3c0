package com.simplemodelapi.models.dao;

import java.time.Instant;

/**
 * A row of {@code model_versions}, with its JSON columns as text and, when it has an artifact, that artifact's hash
 * and size (its bytes are read separately).
 */
public record StoredModelVersion(long id, String name, int version, String description, String algorithm,
                                 String inputs, String parameters, Instant createdAt,
                                 String artifactSha256, Long artifactSizeBytes) {

    public boolean hasArtifact() {
        return artifactSha256 != null;
    }
}
