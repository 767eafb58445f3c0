package com.simplemodelapi.models.dao;

/** One version of a model, by its name and number. */
public record VersionNumber(String name, int version) {
}
