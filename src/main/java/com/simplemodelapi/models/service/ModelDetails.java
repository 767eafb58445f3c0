package com.simplemodelapi.models.service;

import com.simplemodelapi.models.dao.VersionRow;

import java.util.List;

/** One version described in full, and every version of its model, retired ones included. */
public record ModelDetails(ModelDescription model, List<VersionRow> versions) {
}
