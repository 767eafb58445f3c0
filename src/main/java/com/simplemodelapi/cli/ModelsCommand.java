package com.simplemodelapi.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplemodelapi.algorithm.Algorithms;
import com.simplemodelapi.models.file.ModelDefinition;
import com.simplemodelapi.models.service.InvalidModelFileException;
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
                    byte[] artifact = model.artifact() == null ? null : readArtifact(file, model.artifact(), context);
                    ModelRegistrar registrar = new ModelRegistrar(context.jdbi(),
                            Algorithms.discover(context.config().getAlgorithms(), context.metrics()), context.json());
                    return model.name() + " " + registrar.register(model, artifact);
                });
    }

    private static ModelDefinition read(Path file, ObjectMapper json) {
        if (!Files.isReadable(file)) {
            throw new InvalidModelFileException("Cannot read the model file " + file + ".");
        }
        try {
            return json.readValue(file.toFile(), ModelDefinition.class);
        } catch (JsonProcessingException e) {
            throw new InvalidModelFileException(file + " is not a valid model file: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        } catch (IOException e) {
            throw new InvalidModelFileException("Cannot read the model file " + file + ": " + e.getMessage());
        }
    }

    /** The artifact's path is relative to the model file, so a model and its graph travel together. */
    private static byte[] readArtifact(Path modelFile, String artifact, OperatorContext context) {
        Path path = modelFile.toAbsolutePath().getParent().resolve(artifact);
        long limit = context.config().getMaxArtifactBytes().toBytes();
        try {
            if (!Files.isRegularFile(path)) {
                throw new InvalidModelFileException("The artifact " + path + " named in the model file does not exist.");
            }
            long size = Files.size(path);
            if (size > limit) {
                throw new InvalidModelFileException("The artifact " + path + " is " + size + " bytes; at most " + limit
                        + " are accepted (maxArtifactBytes).");
            }
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new InvalidModelFileException("Cannot read the artifact " + path + ": " + e.getMessage());
        }
    }
}
