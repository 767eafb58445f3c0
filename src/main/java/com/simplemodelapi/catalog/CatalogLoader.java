package com.simplemodelapi.catalog;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplemodelapi.access.dao.ActiveKey;
import com.simplemodelapi.access.dao.ApiKeyDao;
import com.simplemodelapi.access.dao.Grant;
import com.simplemodelapi.access.dao.GrantDao;
import com.simplemodelapi.access.dao.UserLimitsDao;
import com.simplemodelapi.access.dao.UserLimitsRow;
import com.simplemodelapi.access.model.Caller;
import com.simplemodelapi.access.model.CallerKey;
import com.simplemodelapi.access.model.Limits;
import com.simplemodelapi.algorithm.Algorithms;
import com.simplemodelapi.common.Fatal;
import com.simplemodelapi.common.JsonTrees;
import com.simplemodelapi.models.api.ArtifactView;
import com.simplemodelapi.models.api.InputField;
import com.simplemodelapi.models.api.ModelView;
import com.simplemodelapi.models.api.OutputField;
import com.simplemodelapi.models.dao.ModelDao;
import com.simplemodelapi.models.dao.StoredModelVersion;
import com.simplemodelapi.spi.Evaluator;
import com.simplemodelapi.spi.InvalidModelException;
import com.simplemodelapi.spi.ModelSpec;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads users, keys, grants and models from PostgreSQL into a new {@link Catalog}. Model versions never change once
 * stored, so a version already in the previous catalog is kept as it is rather than read and built again; that
 * includes one that failed to build, which would only fail again (and re-read a large artifact) until a restart
 * brings different code.
 *
 * <p>A version that cannot be built is kept as unavailable; a database that does not answer fails the whole load,
 * so the next refresh reads that version again. A failed load closes every evaluator it had built.
 *
 * <p>Retired versions are not built or kept, only remembered by number, so that a call pinned to one can be told so.
 * Keys of disabled users are not read; limits an operator set on a user come with their keys and grants. Retiring
 * and disabling change rows that are otherwise immutable, which is why
 * they are read again on every load rather than kept like the versions.
 */
public class CatalogLoader {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogLoader.class);
    private static final TypeReference<List<InputField>> INPUT_LIST = new TypeReference<>() { };

    private final Jdbi jdbi;
    private final Algorithms algorithms;
    private final MetricRegistry metrics;
    private final ObjectMapper json;

    public CatalogLoader(Jdbi jdbi, Algorithms algorithms, MetricRegistry metrics, ObjectMapper json) {
        this.jdbi = jdbi;
        this.algorithms = algorithms;
        this.metrics = metrics;
        this.json = json;
    }

    public Catalog load(Catalog previous) {
        List<Evaluator> built = new ArrayList<>();
        try {
            return jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, handle -> load(handle, previous, built));
        } catch (Throwable e) {
            built.forEach(CatalogLoader::closeQuietly);
            throw e;
        }
    }

    private Catalog load(Handle handle, Catalog previous, List<Evaluator> built) {
        Map<String, CallerKey> callers = keysByHash(handle.attach(ApiKeyDao.class).listActive(),
                handle.attach(GrantDao.class).listAll(), handle.attach(UserLimitsDao.class).listOfEnabledUsers());

        ModelDao modelDao = handle.attach(ModelDao.class);
        Map<Long, ServedModel> byId = new HashMap<>();
        List<Long> toRead = new ArrayList<>();
        for (long id : modelDao.listServedIds()) {
            previous.byId(id).ifPresentOrElse(kept -> byId.put(id, kept), () -> toRead.add(id));
        }
        if (!toRead.isEmpty()) {
            for (StoredModelVersion stored : modelDao.findByIds(toRead)) {
                byId.put(stored.id(), serve(modelDao, stored, built));
            }
        }

        Map<String, NavigableMap<Integer, ServedModel>> byName = new HashMap<>();
        byId.values().forEach(model -> byName.computeIfAbsent(model.name(), name -> new TreeMap<>())
                .put(model.version(), model));
        Map<String, Set<Integer>> retired = new HashMap<>();
        modelDao.listRetired().forEach(version -> retired.computeIfAbsent(version.name(), name -> new HashSet<>())
                .add(version.version()));
        return new Catalog(callers, byName, byId, retired);
    }

    private static Map<String, CallerKey> keysByHash(List<ActiveKey> keys, List<Grant> grants,
                                                     List<UserLimitsRow> limits) {
        Map<String, Set<String>> grantedByUser = new HashMap<>();
        grants.forEach(grant -> grantedByUser.computeIfAbsent(grant.userName(), user -> new HashSet<>())
                .add(grant.modelName()));
        Map<String, Limits> limitsByUser = new HashMap<>();
        limits.forEach(row -> limitsByUser.put(row.userName(), new Limits(row.ratePerSecond(), row.burst(),
                row.dailyInstances(), row.monthlyInstances())));
        Map<String, Caller> callerByUser = new HashMap<>();
        Map<String, CallerKey> byKeyHash = new HashMap<>();
        for (ActiveKey key : keys) {
            Caller caller = callerByUser.computeIfAbsent(key.userName(),
                    user -> new Caller(user, grantedByUser.getOrDefault(user, Set.of()), limitsByUser.get(user)));
            byKeyHash.put(key.keyHash(), new CallerKey(key.id(), caller));
        }
        return byKeyHash;
    }

    /**
     * Builds one version. A database that does not answer while its artifact is read fails the whole load; anything
     * wrong with the version itself (its stored inputs or parameters, its artifact, the algorithm's build, or the
     * evaluator's answers about itself) is kept as the version's failure, and an evaluator already built is closed.
     */
    private ServedModel serve(ModelDao modelDao, StoredModelVersion stored, List<Evaluator> built) {
        Evaluator evaluator = null;
        String loadError = null;
        List<InputField> inputs = List.of();
        List<OutputField> outputs = List.of();
        Map<String, Object> artifactDetails = Map.of();
        try {
            byte[] artifact = stored.hasArtifact() ? modelDao.findArtifact(stored.id()) : null;
            inputs = json.readValue(stored.inputs(), INPUT_LIST);
            JsonNode parameters = json.readTree(stored.parameters());
            if (!parameters.isObject()) {
                throw new InvalidModelException("its stored parameters are not a JSON object");
            }
            evaluator = algorithms.build(stored.algorithm(), new ModelSpec(stored.name(), InputField.toSpecs(inputs),
                    JsonTrees.toMap(parameters), Optional.ofNullable(artifact)));
            built.add(evaluator);
            outputs = evaluator.outputs().stream().map(OutputField::of).toList();
            artifactDetails = evaluator.artifactDetails();
        } catch (JdbiException e) {
            throw e;
        } catch (InvalidModelException | JsonProcessingException e) {
            loadError = e.getMessage();
            LOG.error("Model {} version {} cannot be served: {}", stored.name(), stored.version(), loadError);
        } catch (Throwable e) {
            // A plug-in's bug, a missing class, a native library that will not link, an artifact too large for the heap.
            Fatal.rethrowIfFatal(e);
            loadError = e.getClass().getName() + ": " + e.getMessage();
            LOG.error("Model {} version {} cannot be served", stored.name(), stored.version(), e);
        }
        if (loadError != null && evaluator != null) {
            built.remove(evaluator);
            closeQuietly(evaluator);
            evaluator = null;
            outputs = List.of();
            artifactDetails = Map.of();
        }
        ArtifactView artifactView = stored.hasArtifact()
                ? new ArtifactView(stored.artifactSha256(), stored.artifactSizeBytes(), artifactDetails)
                : null;
        ModelView view = new ModelView(stored.name(), stored.version(), stored.description(), stored.algorithm(),
                inputs, outputs, stored.createdAt(), evaluator != null, artifactView);
        return new ServedModel(view, evaluator, loadError,
                metrics.timer(MetricRegistry.name("models", stored.name(), "predictions")),
                metrics.meter(MetricRegistry.name("models", stored.name(), "errors")));
    }

    private static void closeQuietly(Evaluator evaluator) {
        try {
            evaluator.close();
        } catch (RuntimeException e) {
            LOG.warn("Closing an evaluator that will not be served failed: {}", e.getMessage());
        }
    }
}
