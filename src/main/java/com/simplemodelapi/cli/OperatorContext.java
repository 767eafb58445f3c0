package com.simplemodelapi.cli;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplemodelapi.app.SimpleModelApiConfiguration;
import org.jdbi.v3.core.Jdbi;

/** What a CLI action works with. */
public record OperatorContext(Jdbi jdbi, ObjectMapper json, MetricRegistry metrics,
                              SimpleModelApiConfiguration config) {
}
