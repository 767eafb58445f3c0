package com.simplemodelapi.catalog;

import com.codahale.metrics.Meter;
import com.codahale.metrics.Timer;
import com.simplemodelapi.models.api.ModelView;
import com.simplemodelapi.spi.Evaluator;

/**
 * A model version in memory: its public description and its evaluator, or why the evaluator could not be built.
 * The timer and meter are shared by all versions of one model name.
 */
public record ServedModel(ModelView view, Evaluator evaluator, String loadError,
                          Timer predictions, Meter errors) {

    public String name() {
        return view.name();
    }

    public int version() {
        return view.version();
    }

    public boolean isAvailable() {
        return evaluator != null;
    }
}
