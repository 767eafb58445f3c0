package com.simplemodelapi.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplemodelapi.algorithm.Algorithms;
import com.simplemodelapi.models.file.ModelDefinition;
import com.simplemodelapi.models.service.InvalidModelFileException;
import com.simplemodelapi.models.service.ModelRegistrar;
import com.simplemodelapi.models.service.ModelRetirement;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

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
        action("retire", "Stop serving a version of a model; nothing is deleted, and 'models restore' undoes it",
                ModelsCommand::nameAndVersion,
                (namespace, context) -> {
                    ModelRetirement.Outcome outcome = new ModelRetirement(context.jdbi())
                            .retire(namespace.getString("name"), version(namespace));
                    String what = outcome.name() + " version " + outcome.version();
                    return (outcome.changed() ? "Retired " + what + ": servers no longer serve it. "
                            : what + " was already retired; nothing changed. ") + latest(outcome);
                });
        action("restore", "Serve a retired version of a model again",
                ModelsCommand::nameAndVersion,
                (namespace, context) -> {
                    ModelRetirement.Outcome outcome = new ModelRetirement(context.jdbi())
                            .restore(namespace.getString("name"), version(namespace));
                    String what = outcome.name() + " version " + outcome.version();
                    return (outcome.changed() ? "Restored " + what + ": servers serve it again. "
                            : what + " is not retired; nothing changed. ") + latest(outcome);
                });
    }

    private static void nameAndVersion(Subparser parser) {
        parser.addArgument("--name").required(true).help("the model's name");
        // Not "version": that is the name of the jar's own --version flag.
        parser.addArgument("--version").dest("model_version").metavar("V").required(true)
                .help("the version's number, as 'models add' printed it");
    }

    /** Read as text, so that a version that is not a number gets the one error line every mistake gets. */
    private static int version(Namespace namespace) {
        String text = namespace.getString("model_version");
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new InvalidOptionException("--version takes a version's number, such as 2; got '" + text + "'.");
        }
    }

    private static String latest(ModelRetirement.Outcome outcome) {
        return outcome.newestNotRetired()
                .map(version -> "Its latest is version " + version + ".")
                .orElse("It has no version left to serve: calls to it get 404 until one is restored or added.");
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
