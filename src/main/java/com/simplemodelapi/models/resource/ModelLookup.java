package com.simplemodelapi.models.resource;

import com.simplemodelapi.access.model.Caller;
import com.simplemodelapi.catalog.Catalog;
import com.simplemodelapi.catalog.ServedModel;
import com.simplemodelapi.error.ApiException;

/**
 * Finds a model version for a caller, or a 404 that reads the same whether the model is missing or merely not
 * granted: nobody learns what others can call.
 */
public final class ModelLookup {
    private ModelLookup() {
    }

    public static ServedModel latest(Catalog catalog, Caller caller, String name) {
        return catalog.latest(caller, name).orElseThrow(() -> ApiException.notFound(
                "There is no model named '" + name + "' that you may call. GET /v1/models lists yours."));
    }

    public static ServedModel version(Catalog catalog, Caller caller, String name, int version) {
        return catalog.version(caller, name, version).orElseThrow(() -> ApiException.notFound(
                "There is no version " + version + " of a model named '" + name + "' that you may call."
                        + " GET /v1/models/" + name + " shows the latest."));
    }
}
