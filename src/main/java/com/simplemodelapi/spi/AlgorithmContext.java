package com.simplemodelapi.spi;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the server gives an algorithm besides the model: its own settings, the section of {@code config.yml}'s
 * {@code algorithms} named after it (an empty object when there is none), and the registry the server's metrics are
 * in, for the algorithm's own.
 */
public record AlgorithmContext(JsonNode settings, MetricRegistry metrics) {
}
