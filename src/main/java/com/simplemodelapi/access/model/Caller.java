package com.simplemodelapi.access.model;

import java.security.Principal;
import java.util.Set;

/** An authenticated user and the model names granted to them. */
public record Caller(String name, Set<String> grantedModels) implements Principal {

    public Caller {
        grantedModels = Set.copyOf(grantedModels);
    }

    @Override
    public String getName() {
        return name;
    }

    public boolean mayCall(String modelName) {
        return grantedModels.contains(modelName);
    }
}
