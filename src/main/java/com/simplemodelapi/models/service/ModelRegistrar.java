package com.simplemodelapi.models.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplemodelapi.algorithm.Algorithms;
import com.simplemodelapi.changes.service.ChangeLog;
import com.simplemodelapi.common.JsonTrees;
import com.simplemodelapi.common.Sha256;
import com.simplemodelapi.models.api.InputField;
import com.simplemodelapi.models.dao.ModelDao;
import com.simplemodelapi.models.dao.NewVersion;
import com.simplemodelapi.models.file.ModelDefinition;
import com.simplemodelapi.models.file.ModelNames;
import com.simplemodelapi.spi.Evaluator;
import com.simplemodelapi.spi.InvalidModelException;
import com.simplemodelapi.spi.ModelSpec;
import org.jdbi.v3.core.Jdbi;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a model file and, only when all of it is sound (its evaluator builds, artifact included), stores it and its
 * artifact together as the model's next version.
 */
public class ModelRegistrar {
    private static final Pattern INPUT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,127}");

    private final Jdbi jdbi;
    private final Algorithms algorithms;
    private final ObjectMapper json;
    private final ChangeLog changes;

    public ModelRegistrar(Jdbi jdbi, Algorithms algorithms, ObjectMapper json) {
        this(jdbi, algorithms, json, ChangeLog.ofThisProcess());
    }

    public ModelRegistrar(Jdbi jdbi, Algorithms algorithms, ObjectMapper json, ChangeLog changes) {
        this.jdbi = jdbi;
        this.algorithms = algorithms;
        this.json = json;
        this.changes = changes;
    }

    /** Stores a model without an artifact; returns the version stored. */
    public int register(ModelDefinition model) {
        return register(model, null);
    }

    /** Returns the version stored. {@code artifact} holds the bytes of the file the model names, or null. */
    public int register(ModelDefinition model, byte[] artifact) {
        check(model, artifact);
        String inputs = toJson(model.inputs());
        String parameters = toJson(model.parameters());
        return jdbi.inTransaction(handle -> {
            ModelDao models = handle.attach(ModelDao.class);
            NewVersion stored = models.insertNextVersion(model.name(),
                    model.description() == null ? "" : model.description(), model.algorithm(), inputs, parameters);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("version", stored.version());
            details.put("algorithm", model.algorithm());
            if (artifact != null) {
                String sha256 = Sha256.hex(artifact);
                models.insertArtifact(stored.id(), artifact, sha256, artifact.length);
                details.put("artifact_sha256", sha256);
            }
            changes.record(handle, "models add", model.name(), details);
            return stored.version();
        });
    }

    /**
     * Checks the model exactly as {@link #register} does, its algorithm's build included, and stores nothing. Returns
     * the version it would be stored as now.
     */
    public int checkOnly(ModelDefinition model, byte[] artifact) {
        check(model, artifact);
        return jdbi.onDemand(ModelDao.class).nextVersion(model.name());
    }

    private void check(ModelDefinition model, byte[] artifact) {
        if (!ModelNames.isValid(model.name())) {
            throw new InvalidModelFileException(
                    "The model name must be 1 to 64 lower-case letters, digits, '.', '_' or '-',"
                    + " starting with a letter or digit; got " + quoted(model.name()) + ".");
        }
        if (model.algorithm() == null) {
            throw new InvalidModelFileException("The model file has no \"algorithm\".");
        }
        checkInputs(model.inputs());
        if (model.parameters() == null || model.parameters().isNull()) {
            throw new InvalidModelFileException("The model file has no \"parameters\".");
        }
        if (!model.parameters().isObject()) {
            throw doesNotFit(model, "its \"parameters\" must be a JSON object (it may be empty: {}), got "
                    + model.parameters().getNodeType().name().toLowerCase(Locale.ROOT) + ".");
        }
        ModelSpec spec = new ModelSpec(model.name(), InputField.toSpecs(model.inputs()),
                JsonTrees.toMap(model.parameters()), Optional.ofNullable(artifact));
        try (Evaluator ignored = algorithms.build(model.algorithm(), spec)) {
            // Built only to prove it can be; servers build their own when they load the version.
        } catch (InvalidModelException e) {
            throw doesNotFit(model, e.getMessage());
        }
    }

    private static InvalidModelFileException doesNotFit(ModelDefinition model, String problem) {
        return new InvalidModelFileException("Model '" + model.name() + "' does not fit algorithm '"
                + model.algorithm() + "': " + problem);
    }

    private static void checkInputs(List<InputField> inputs) {
        if (inputs == null || inputs.isEmpty()) {
            throw new InvalidModelFileException("The model file must declare at least one input in \"inputs\".");
        }
        Set<String> seen = new HashSet<>();
        for (InputField input : inputs) {
            if (input == null || input.name() == null || !INPUT_NAME.matcher(input.name()).matches()) {
                throw new InvalidModelFileException("Every input needs a \"name\" of letters, digits, '_', '.' or '-',"
                        + " starting with a letter or '_'; got " + quoted(input == null ? null : input.name()) + ".");
            }
            if (input.type() == null) {
                throw new InvalidModelFileException("Input '" + input.name()
                        + "' needs a \"type\": number, integer, string or boolean.");
            }
            if (!seen.add(input.name())) {
                throw new InvalidModelFileException("Input '" + input.name() + "' is declared twice.");
            }
        }
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A parsed model always serialises", e);
        }
    }

    private static String quoted(String value) {
        return value == null ? "nothing" : "'" + value + "'";
    }
}
