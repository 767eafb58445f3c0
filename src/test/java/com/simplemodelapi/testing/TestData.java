package com.simplemodelapi.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplemodelapi.access.service.AccessService;
import com.simplemodelapi.access.service.ApiKeys;
import com.simplemodelapi.algorithm.Algorithms;
import com.simplemodelapi.models.file.ModelDefinition;
import com.simplemodelapi.models.service.ModelRegistrar;
import io.dropwizard.jackson.Jackson;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Sets up users, keys, models and grants through the same services the CLI uses. */
public final class TestData {
    public static final ObjectMapper JSON = Jackson.newObjectMapper();

    /** y = 1 + 2 x1 - 3 x2 */
    public static final String LINEAR_MODEL = """
            {"name": "%s", "description": "test", "algorithm": "linear-regression",
             "inputs": [{"name": "x1", "type": "number"}, {"name": "x2", "type": "number"}],
             "parameters": {"coefficients": {"x1": 2.0, "x2": -3.0}, "intercept": %s}}""";

    private final Jdbi jdbi;
    private final AccessService access;
    private final ModelRegistrar registrar;

    public TestData(String databaseUrl) {
        this(Jdbi.create(databaseUrl, TestPostgres.USER, "").installPlugin(new SqlObjectPlugin()));
    }

    public TestData(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.access = new AccessService(jdbi);
        this.registrar = new ModelRegistrar(jdbi, Algorithms.discover(), JSON);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public AccessService access() {
        return access;
    }

    /** Returns the user's first key. */
    public String user(String name) {
        return access.addUser(name).key();
    }

    /** The id of a key, as {@code keys list} shows it. */
    public long keyId(String key) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT id FROM api_keys WHERE key_hash = :hash")
                .bind("hash", ApiKeys.hash(key)).mapTo(Long.class).one());
    }

    /** Stores the next version of a model from its JSON and returns the version. */
    public int model(String json) {
        return model(json, null);
    }

    /** Stores the next version of a model built from an artifact (such as an ONNX graph); returns the version. */
    public int model(String json, byte[] artifact) {
        try {
            return registrar.register(JSON.readValue(json, ModelDefinition.class), artifact);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A linear model y = intercept + 2 x1 - 3 x2. */
    public int linearModel(String name, double intercept) {
        return model(LINEAR_MODEL.formatted(name, intercept));
    }

    public void grant(String user, String model) {
        access.grant(user, model);
    }
}
