package com.simplemodelapi.spi;

import com.codahale.metrics.MetricRegistry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the server gives an algorithm besides the model: its own settings, the section of {@code config.yml}'s
 * {@code algorithms} named after it (empty when there is none), as a tree of plain Java values like
 * {@link ModelSpec#parameters()}; and the registry the server's metrics are in, on the admin port, for the
 * algorithm's own.
 */
public record AlgorithmContext(Map<String, Object> settings, MetricRegistry metrics) {

    public AlgorithmContext {
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }
}
