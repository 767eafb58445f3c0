package com.simplemodelapi.models.dao;

/** The keys of a model version just stored. */
public record NewVersion(long id, int version) {
}
