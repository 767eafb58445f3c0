package com.simplemodelapi.models.dao;

import java.time.Instant;

/** One version of a model as operators list it: never its parameters or its artifact's bytes. */
public record VersionRow(int version, String algorithm, Instant createdAt, Instant retiredAt, String artifactSha256,
                         Long artifactSizeBytes) {
}
