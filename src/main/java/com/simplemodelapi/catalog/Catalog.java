package com.simplemodelapi.catalog;

import com.simplemodelapi.access.model.Caller;
import com.simplemodelapi.access.model.CallerKey;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable picture of who may call what, and of every model version with its evaluator. Requests read it
 * without touching the database; a refresh replaces it whole.
 */
public final class Catalog {
    public static final Catalog EMPTY = new Catalog(Map.of(), Map.of(), Map.of(), Map.of());

    private final Map<String, CallerKey> keysByHash;
    private final Map<String, Caller> callersByName;
    private final Map<String, NavigableMap<Integer, ServedModel>> versionsByName;
    private final Map<Long, ServedModel> versionsById;
    private final Map<String, Set<Integer>> retiredByName;

    /** {@code versionsByName} and {@code versionsById} hold the versions served; none of them is retired. */
    Catalog(Map<String, CallerKey> keysByHash,
            Map<String, NavigableMap<Integer, ServedModel>> versionsByName,
            Map<Long, ServedModel> versionsById,
            Map<String, Set<Integer>> retiredByName) {
        this.keysByHash = Map.copyOf(keysByHash);
        Map<String, Caller> byName = new HashMap<>();
        keysByHash.values().forEach(key -> byName.put(key.caller().name(), key.caller()));
        this.callersByName = Map.copyOf(byName);
        this.versionsByName = Map.copyOf(versionsByName);
        this.versionsById = Map.copyOf(versionsById);
        Map<String, Set<Integer>> retired = new HashMap<>();
        retiredByName.forEach((name, versions) -> retired.put(name, Set.copyOf(versions)));
        this.retiredByName = Map.copyOf(retired);
    }

    /** The active key with this hash: which key it is, and the caller it authenticates. */
    public Optional<CallerKey> keyWithHash(String keyHash) {
        return Optional.ofNullable(keysByHash.get(keyHash));
    }

    /**
     * The latest version of a model the caller may call: the newest that can be served, so one version that failed to
     * load does not take its model down; the newest of all when none can. A model they may not call is as absent as
     * one that never was.
     */
    public Optional<ServedModel> latest(Caller caller, String name) {
        return versionsOf(caller, name).map(Catalog::newestServable);
    }

    private static ServedModel newestServable(NavigableMap<Integer, ServedModel> versions) {
        for (ServedModel model : versions.descendingMap().values()) {
            if (model.isAvailable()) {
                return model;
            }
        }
        return versions.lastEntry().getValue();
    }

    /** Every version of a model the caller may call, oldest first; empty when they may call none. */
    public List<ServedModel> versions(Caller caller, String name) {
        return versionsOf(caller, name).map(versions -> List.copyOf(versions.values())).orElse(List.of());
    }

    public Optional<ServedModel> version(Caller caller, String name, int version) {
        return versionsOf(caller, name).map(versions -> versions.get(version));
    }

    /**
     * Whether that version of a model the caller may call is retired. False for a model they may not call, so a
     * retired version is no more visible than any other to someone without the grant.
     */
    public boolean isRetired(Caller caller, String name, int version) {
        return grantsHere(caller).mayCall(name) && retiredByName.getOrDefault(name, Set.of()).contains(version);
    }

    /** The latest version of every model the caller may call, by name. */
    public List<ServedModel> latestOfGranted(Caller caller) {
        return grantsHere(caller).grantedModels().stream()
                .sorted()
                .flatMap(name -> latest(caller, name).stream())
                .toList();
    }

    public Collection<ServedModel> allVersions() {
        return versionsById.values();
    }

    /** The versions that failed to load, which only a pinned call reaches (and gets 503). */
    public List<ServedModel> unavailableVersions() {
        return versionsById.values().stream().filter(model -> !model.isAvailable()).toList();
    }

    Optional<ServedModel> byId(long id) {
        return Optional.ofNullable(versionsById.get(id));
    }

    public int callerKeyCount() {
        return keysByHash.size();
    }

    /** Every user with at least one active key, with their grants and limits. */
    public Collection<Caller> callers() {
        return callersByName.values();
    }

    /** Users with at least one active key: the only ones who can call. */
    public int callerCount() {
        return callersByName.size();
    }

    /** Models with at least one version served: a model whose versions are all retired is not one. */
    public int modelCount() {
        return versionsByName.size();
    }

    /** Whether this catalog holds that version of that model, whoever may call it. */
    public boolean holds(String name, int version) {
        NavigableMap<Integer, ServedModel> versions = versionsByName.get(name);
        return versions != null && versions.containsKey(version);
    }

    private Optional<NavigableMap<Integer, ServedModel>> versionsOf(Caller caller, String name) {
        return grantsHere(caller).mayCall(name) ? Optional.ofNullable(versionsByName.get(name)) : Optional.empty();
    }

    /**
     * The caller with the grants this catalog holds for them. A request finds its caller in the catalog current when
     * it arrives, and its models in the one current a moment later; a refresh in between must not make it answer
     * with the grants of one catalog and the models of the next. A user without an active key here has no grants.
     */
    private Caller grantsHere(Caller caller) {
        return callersByName.getOrDefault(caller.name(), new Caller(caller.name(), Set.of()));
    }
}
