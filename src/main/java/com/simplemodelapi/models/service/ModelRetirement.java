package com.simplemodelapi.models.service;

import com.simplemodelapi.changes.service.ChangeLog;
import com.simplemodelapi.models.dao.ModelDao;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.Map;
import java.util.Optional;

/**
 * Takes a model version out of service and puts it back. Nothing is deleted and the version itself never changes:
 * only whether it is retired does, so every audit line that names it keeps meaning something. Servers serve no retired
 * version; a model's latest is its newest version not retired, and a model whose versions are all retired is unknown.
 */
public class ModelRetirement {
    private final Jdbi jdbi;
    private final ChangeLog changes;

    public ModelRetirement(Jdbi jdbi) {
        this(jdbi, ChangeLog.ofThisProcess());
    }

    public ModelRetirement(Jdbi jdbi, ChangeLog changes) {
        this.jdbi = jdbi;
        this.changes = changes;
    }

    /**
     * What a retire or restore did: whether it changed anything (retiring a retired version does not), and the model's
     * newest version not retired afterwards, empty when none is.
     */
    public record Outcome(String name, int version, boolean changed, Optional<Integer> newestNotRetired) {
    }

    public Outcome retire(String name, int version) {
        return change(name, version, "models retire", ModelDao::retire);
    }

    public Outcome restore(String name, int version) {
        return change(name, version, "models restore", ModelDao::restore);
    }

    /** Flips the version's retired mark, logging the change only when there was one to make. */
    private Outcome change(String name, int version, String command, Flip flip) {
        return jdbi.inTransaction(handle -> {
            ModelDao models = handle.attach(ModelDao.class);
            boolean changed = flip.apply(models, name, version) > 0;
            if (changed) {
                changes.record(handle, command, name, Map.of("version", version));
            } else {
                requireVersion(handle, name, version);
            }
            return new Outcome(name, version, changed, models.newestNotRetired(name));
        });
    }

    @FunctionalInterface
    private interface Flip {
        int apply(ModelDao models, String name, int version);
    }

    private static void requireVersion(Handle handle, String name, int version) {
        int newest = handle.attach(ModelDao.class).newestVersion(name)
                .orElseThrow(() -> new UnknownModelException("There is no model named '" + name + "'."));
        if (version < 1 || version > newest) {
            throw new UnknownVersionException("Model '" + name + "' has no version " + version + "; "
                    + (newest == 1 ? "its only version is 1." : "its versions are 1 to " + newest + "."));
        }
    }
}
