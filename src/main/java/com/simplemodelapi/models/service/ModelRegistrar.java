package com.simplemodelapi.models.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplemodelapi.algorithm.Algorithms;
import com.simplemodelapi.algorithm.InvalidModelException;
import com.simplemodelapi.cli.OperatorError;
import com.simplemodelapi.models.dao.ModelDao;
import com.simplemodelapi.models.model.InputField;
import com.simplemodelapi.models.model.ModelDefinition;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a model file and, only when all of it is sound, stores it as the model's next version. */
public class ModelRegistrar {
    public static final Pattern MODEL_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern INPUT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,127}");

    private final ModelDao models;
    private final Algorithms algorithms;
    private final ObjectMapper json;

    public ModelRegistrar(ModelDao models, Algorithms algorithms, ObjectMapper json) {
        this.models = models;
        this.algorithms = algorithms;
        this.json = json;
    }

    /** Returns the version stored. */
    public int register(ModelDefinition model) {
        check(model);
        try {
            return models.insertNextVersion(model.name(),
                    model.description() == null ? "" : model.description(),
                    model.algorithm(),
                    json.writeValueAsString(model.inputs()),
                    json.writeValueAsString(model.parameters()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A parsed model always serialises", e);
        }
    }

    private void check(ModelDefinition model) {
        if (model.name() == null || !MODEL_NAME.matcher(model.name()).matches()) {
            throw new OperatorError("The model name must be 1 to 64 lower-case letters, digits, '.', '_' or '-',"
                    + " starting with a letter or digit; got " + quoted(model.name()) + ".");
        }
        if (model.algorithm() == null) {
            throw new OperatorError("The model file has no \"algorithm\".");
        }
        checkInputs(model.inputs());
        if (model.parameters() == null || model.parameters().isNull()) {
            throw new OperatorError("The model file has no \"parameters\".");
        }
        try {
            algorithms.build(model.algorithm(), model.inputs(), model.parameters());
        } catch (InvalidModelException e) {
            throw new OperatorError("Model '" + model.name() + "' does not fit algorithm '" + model.algorithm()
                    + "': " + e.getMessage());
        }
    }

    private static void checkInputs(List<InputField> inputs) {
        if (inputs == null || inputs.isEmpty()) {
            throw new OperatorError("The model file must declare at least one input in \"inputs\".");
        }
        Set<String> seen = new HashSet<>();
        for (InputField input : inputs) {
            if (input == null || input.name() == null || !INPUT_NAME.matcher(input.name()).matches()) {
                throw new OperatorError("Every input needs a \"name\" of letters, digits, '_', '.' or '-',"
                        + " starting with a letter or '_'; got " + quoted(input == null ? null : input.name()) + ".");
            }
            if (input.type() == null) {
                throw new OperatorError("Input '" + input.name() + "' needs a \"type\": number, integer, string or boolean.");
            }
            if (!seen.add(input.name())) {
                throw new OperatorError("Input '" + input.name() + "' is declared twice.");
            }
        }
    }

    private static String quoted(String value) {
        return value == null ? "nothing" : "'" + value + "'";
    }
}
