package com.simplemodelapi.models.dao;

import java.time.Instant;

/**
 * A model as operators list it. {@code latestVersion} is its newest version not retired (null when all are), and
 * {@code algorithm} that version's (the newest version's when all are retired); {@code createdAt} is when its first
 * version was stored.
 */
public record ModelRow(String name, Integer latestVersion, String algorithm, int versions, int retiredVersions,
                       Instant createdAt) {
}
