package com.simplemodelapi.access.model;

import java.security.Principal;
import java.util.Set;

/**
 * An authenticated user, the model names granted to them, and the limits an operator set on them: null for none,
 * which is what most callers have, so a request checks no more than that.
 */
public record Caller(String name, Set<String> grantedModels, Limits limits) implements Principal {

    public Caller {
        grantedModels = Set.copyOf(grantedModels);
    }

    public Caller(String name, Set<String> grantedModels) {
        this(name, grantedModels, null);
    }

    @Override
    public String getName() {
        return name;
    }

    public boolean mayCall(String modelName) {
        return grantedModels.contains(modelName);
    }
}
