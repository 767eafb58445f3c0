package com.simplemodelapi.models.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplemodelapi.algorithm.Algorithms;
import com.simplemodelapi.common.Fatal;
import com.simplemodelapi.common.JsonTrees;
import com.simplemodelapi.models.api.ArtifactView;
import com.simplemodelapi.models.api.InputField;
import com.simplemodelapi.models.api.OutputField;
import com.simplemodelapi.models.dao.ModelDao;
import com.simplemodelapi.models.dao.ModelRow;
import com.simplemodelapi.models.dao.StoredModelVersion;
import com.simplemodelapi.models.dao.VersionRow;
import com.simplemodelapi.spi.Evaluator;
import com.simplemodelapi.spi.InvalidModelException;
import com.simplemodelapi.spi.ModelSpec;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What operators look up about models. Describing a version builds it, as a server would, to show its outputs and
 * whether it can be served with the algorithms this process has.
 */
public class ModelDirectory {
    private static final TypeReference<List<InputField>> INPUT_LIST = new TypeReference<>() { };

    private final Jdbi jdbi;
    private final Algorithms algorithms;
    private final ObjectMapper json;

    public ModelDirectory(Jdbi jdbi, Algorithms algorithms, ObjectMapper json) {
        this.jdbi = jdbi;
        this.algorithms = algorithms;
        this.json = json;
    }

    public List<ModelRow> models() {
        return jdbi.onDemand(ModelDao.class).listRows();
    }

    /**
     * The version asked for or, when {@code version} is null, the one the API serves as latest (the newest not
     * retired; the newest of all when every version is).
     */
    public ModelDetails describe(String name, Integer version) {
        Read read = jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, handle -> {
            ModelDao models = handle.attach(ModelDao.class);
            List<VersionRow> versions = models.listVersionRows(name);
            if (versions.isEmpty()) {
                throw new UnknownModelException("There is no model named '" + name + "'; 'models list' shows them.");
            }
            VersionRow chosen = version == null ? latest(versions) : versions.stream()
                    .filter(row -> row.version() == version)
                    .findFirst()
                    .orElseThrow(() -> new UnknownModelVersionException("Model '" + name + "' has no version "
                            + version + "; its versions are " + versions.get(0).version() + " to "
                            + versions.get(versions.size() - 1).version() + "."));
            long id = models.findId(name, chosen.version()).orElseThrow();
            StoredModelVersion stored = models.findByIds(List.of(id)).get(0);
            byte[] artifact = stored.hasArtifact() ? models.findArtifact(id) : null;
            return new Read(stored, chosen, artifact, versions);
        });
        return new ModelDetails(describe(read.stored(), read.chosen(), read.artifact()), read.versions());
    }

    private record Read(StoredModelVersion stored, VersionRow chosen, byte[] artifact, List<VersionRow> versions) {
    }

    private static VersionRow latest(List<VersionRow> versions) {
        for (int i = versions.size() - 1; i >= 0; i--) {
            if (versions.get(i).retiredAt() == null) {
                return versions.get(i);
            }
        }
        return versions.get(versions.size() - 1);
    }

    private ModelDescription describe(StoredModelVersion stored, VersionRow row, byte[] artifact) {
        List<InputField> inputs = read(stored.inputs(), INPUT_LIST);
        JsonNode parameters = read(stored.parameters(), new TypeReference<>() { });
        List<OutputField> outputs = List.of();
        Map<String, Object> artifactDetails = Map.of();
        String loadError = null;
        try (Evaluator evaluator = algorithms.build(stored.algorithm(), new ModelSpec(stored.name(),
                InputField.toSpecs(inputs), JsonTrees.toMap(parameters), Optional.ofNullable(artifact)))) {
            outputs = evaluator.outputs().stream().map(OutputField::of).toList();
            artifactDetails = evaluator.artifactDetails();
        } catch (InvalidModelException e) {
            loadError = e.getMessage();
        } catch (Throwable e) {
            // A plug-in's bug or a native library that will not link: the version is still there to describe.
            Fatal.rethrowIfFatal(e);
            loadError = e.getClass().getName() + ": " + e.getMessage();
        }
        ArtifactView artifactView = stored.hasArtifact()
                ? new ArtifactView(stored.artifactSha256(), stored.artifactSizeBytes(), artifactDetails)
                : null;
        return new ModelDescription(stored.name(), stored.version(), stored.description(), stored.algorithm(),
                stored.createdAt(), row.retiredAt(), inputs, outputs, parameters, artifactView, loadError);
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("A stored model version's JSON does not parse", e);
        }
    }
}
