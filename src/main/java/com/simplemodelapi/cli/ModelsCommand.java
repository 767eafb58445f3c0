package com.simplemodelapi.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplemodelapi.algorithm.Algorithms;
import com.simplemodelapi.models.api.ArtifactView;
import com.simplemodelapi.models.api.InputField;
import com.simplemodelapi.models.api.OutputField;
import com.simplemodelapi.models.dao.ModelRow;
import com.simplemodelapi.models.dao.VersionRow;
import com.simplemodelapi.models.file.ModelDefinition;
import com.simplemodelapi.models.service.InvalidModelFileException;
import com.simplemodelapi.models.service.ModelDescription;
import com.simplemodelapi.models.service.ModelDetails;
import com.simplemodelapi.models.service.ModelDirectory;
import com.simplemodelapi.models.service.ModelRegistrar;
import com.simplemodelapi.models.service.ModelRetirement;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

public class ModelsCommand extends OperatorCommand {
    /** Longer parameters are cut short in the text; {@code --json} shows them whole. */
    private static final int PARAMETERS_SHOWN = 200;

    public ModelsCommand() {
        super("models", "Manage models");
        action("add", "Store the next version of the model a JSON file describes, and print '<name> <version>';"
                        + " with --dry-run only check it",
                parser -> {
                    parser.addArgument("--file").dest("model_file").required(true).help("the model file");
                    parser.addArgument("--dry-run").dest("dry_run").action(Arguments.storeTrue())
                            .help("check the file exactly as an add would, store nothing, and print 'ok'");
                },
                (namespace, context) -> {
                    Path file = Path.of(namespace.getString("model_file"));
                    ModelDefinition model = read(file, context.json());
                    byte[] artifact = model.artifact() == null ? null : readArtifact(file, model.artifact(), context);
                    ModelRegistrar registrar = new ModelRegistrar(context.jdbi(), algorithms(context), context.json());
                    if (Boolean.TRUE.equals(namespace.getBoolean("dry_run"))) {
                        int next = registrar.checkOnly(model, artifact);
                        return new Output("ok", new Checked(true, model.name(), next));
                    }
                    int version = registrar.register(model, artifact);
                    return new Output(model.name() + " " + version, new Stored(model.name(), version));
                });
        action("list", "List models: the latest version served, its algorithm, how many versions, when created",
                parser -> { },
                (namespace, context) -> {
                    List<ModelRow> models = new ModelDirectory(context.jdbi(), algorithms(context), context.json())
                            .models();
                    Table table = new Table("NAME", "LATEST", "ALGORITHM", "VERSIONS", "RETIRED", "CREATED");
                    models.forEach(model -> table.row(model.name(), model.latestVersion(), model.algorithm(),
                            model.versions(), model.retiredVersions(), model.createdAt()));
                    return new Output(table.render(), models);
                });
        action("show", "Describe a model's latest version served (or the version given) in full, and list its"
                        + " versions",
                parser -> {
                    parser.addArgument("--name").required(true).help("the model's name");
                    parser.addArgument("--version").type(Integer.class).help("this version rather than the latest");
                },
                (namespace, context) -> {
                    ModelDetails details = new ModelDirectory(context.jdbi(), algorithms(context), context.json())
                            .describe(namespace.getString("name"), namespace.getInt("version"));
                    return new Output(text(details, context.json()), details);
                });
        action("retire", "Stop serving a version of a model; nothing is deleted, and 'models restore' undoes it",
                ModelsCommand::nameAndVersion,
                (namespace, context) -> {
                    ModelRetirement.Outcome outcome = new ModelRetirement(context.jdbi())
                            .retire(namespace.getString("name"), version(namespace));
                    String what = outcome.name() + " version " + outcome.version();
                    return new Output((outcome.changed() ? "Retired " + what + ": servers no longer serve it. "
                            : what + " was already retired; nothing changed. ") + latest(outcome), outcome);
                });
        action("restore", "Serve a retired version of a model again",
                ModelsCommand::nameAndVersion,
                (namespace, context) -> {
                    ModelRetirement.Outcome outcome = new ModelRetirement(context.jdbi())
                            .restore(namespace.getString("name"), version(namespace));
                    String what = outcome.name() + " version " + outcome.version();
                    return new Output((outcome.changed() ? "Restored " + what + ": servers serve it again. "
                            : what + " is not retired; nothing changed. ") + latest(outcome), outcome);
                });
    }

    /** What {@code models add --dry-run} found: the version the file would be stored as now. */
    private record Checked(boolean ok, String name, int nextVersion) {
    }

    private record Stored(String name, int version) {
    }

    private static Algorithms algorithms(OperatorContext context) {
        return Algorithms.discover(context.config().getAlgorithms(), context.metrics());
    }

    private static String text(ModelDetails details, ObjectMapper json) throws JsonProcessingException {
        ModelDescription model = details.model();
        ArtifactView artifact = model.artifact();
        Fields fields = new Fields()
                .add("name", model.name())
                .add("version", model.version())
                .add("description", model.description())
                .add("algorithm", model.algorithm())
                .add("created", model.createdAt())
                .add("retired", model.retiredAt())
                .add("artifact sha256", artifact == null ? null : artifact.sha256())
                .add("artifact size", artifact == null ? null : artifact.sizeBytes() + " bytes");
        if (artifact != null) {
            for (Map.Entry<String, Object> detail : artifact.details().entrySet()) {
                fields.add("artifact " + detail.getKey(), detail.getValue());
            }
        }
        String parameters = json.writeValueAsString(model.parameters());
        fields.add("parameters", parameters.length() <= PARAMETERS_SHOWN ? parameters
                : parameters.substring(0, PARAMETERS_SHOWN) + "... (" + parameters.length()
                        + " characters; --json shows them all)");
        fields.add("loads", model.loadError() == null ? "yes" : "no: " + model.loadError());

        Table inputs = new Table("INPUT", "TYPE", "REQUIRED");
        for (InputField input : model.inputs()) {
            inputs.row(input.name(), input.type().jsonName(), input.required());
        }
        Table outputs = new Table("OUTPUT", "TYPE", "CLASSES");
        for (OutputField output : model.outputs()) {
            outputs.row(output.name(), output.type(), output.classes());
        }
        Table versions = new Table("VERSION", "ALGORITHM", "CREATED", "RETIRED", "ARTIFACT_SHA256");
        for (VersionRow version : details.versions()) {
            versions.row(version.version(), version.algorithm(), version.createdAt(), version.retiredAt(),
                    version.artifactSha256());
        }
        return fields.render() + "\n" + inputs.render() + "\n" + outputs.render() + "\n" + versions.render();
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
