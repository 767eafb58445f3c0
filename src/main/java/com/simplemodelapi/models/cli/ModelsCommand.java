package com.simplemodelapi.models.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.simplemodelapi.algorithm.Algorithms;
import com.simplemodelapi.cli.OperatorCommand;
import com.simplemodelapi.cli.OperatorError;
import com.simplemodelapi.models.dao.ModelDao;
import com.simplemodelapi.models.model.ModelDefinition;
import com.simplemodelapi.models.service.ModelRegistrar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

public class ModelsCommand extends OperatorCommand {
    public ModelsCommand() {
        super("models", "Manage models");
        action("add", "Store the next version of the model a JSON file describes, and print '<name> <version>'",
                parser -> parser.addArgument("--file").dest("model_file").required(true).help("the model file"),
                (namespace, context) -> {
                    Path file = Path.of(namespace.getString("model_file"));
                    ModelDefinition model = read(file, context.json());
                    ModelRegistrar registrar = new ModelRegistrar(context.jdbi().onDemand(ModelDao.class),
                            Algorithms.discover(), context.json());
                    return model.name() + " " + registrar.register(model);
                });
    }

    private static ModelDefinition read(Path file, com.fasterxml.jackson.databind.ObjectMapper json) {
        if (!Files.isReadable(file)) {
            throw new OperatorError("Cannot read the model file " + file + ".");
        }
        try {
            return json.readValue(file.toFile(), ModelDefinition.class);
        } catch (JsonProcessingException e) {
            throw new OperatorError(file + " is not a valid model file: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        } catch (IOException e) {
            throw new OperatorError("Cannot read the model file " + file + ": " + e.getMessage());
        }
    }
}
