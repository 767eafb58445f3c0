package com.simplemodelapi.catalog;

import com.simplemodelapi.access.model.Caller;
import com.simplemodelapi.error.ApiException;
import com.simplemodelapi.models.file.ModelNames;

import java.util.regex.Pattern;

/**
 * Finds a model version for a caller from the name and version in a path. Every miss gets one and the same 404,
 * whether the name cannot be a model name, the version is not a version, the model does not exist or it is merely
 * not granted; the message quotes nothing from the path. Nobody learns what others can call. The one exception is a
 * retired version of a model the caller may call, whose 404 says it is retired.
 */
public final class ModelLookup {
    /** A positive int without sign or leading zeros; nine digits at most, so it can never overflow. */
    private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,8}");
    private static final String NOT_FOUND =
            "There is no such model or version that you may call. GET /v1/models lists the models you may call.";

    private ModelLookup() {
    }

    /** The name from a path, checked before anything is looked up. */
    public static String checkedName(String name) {
        if (!ModelNames.isValid(name)) {
            throw notFound();
        }
        return name;
    }

    /** The version from a path, checked before anything is looked up. */
    public static int checkedVersion(String version) {
        if (version == null || !VERSION.matcher(version).matches()) {
            throw notFound();
        }
        return Integer.parseInt(version);
    }

    /** The latest version of a model the caller may call; the name as {@link #checkedName} returned it. */
    public static ServedModel latest(Catalog catalog, Caller caller, String checkedName) {
        return catalog.latest(caller, checkedName).orElseThrow(ModelLookup::notFound);
    }

    /**
     * One version of a model the caller may call; name and version as the checks above returned them. A retired
     * version is a 404 that says so, to a caller who may call the model: its name and number are then known to them
     * and checked, so quoting them tells nothing new.
     */
    public static ServedModel version(Catalog catalog, Caller caller, String checkedName, int version) {
        return catalog.version(caller, checkedName, version).orElseThrow(() ->
                catalog.isRetired(caller, checkedName, version) ? retired(checkedName, version) : notFound());
    }

    private static ApiException retired(String name, int version) {
        return ApiException.notFound("Version " + version + " of model '" + name
                + "' is retired: it is no longer served.");
    }

    private static ApiException notFound() {
        return ApiException.notFound(NOT_FOUND);
    }
}
