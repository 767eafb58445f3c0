package com.simplemodelapi.access.auth;

import com.simplemodelapi.access.model.Caller;
import com.simplemodelapi.access.service.ApiKeys;
import com.simplemodelapi.catalog.LiveCatalog;
import io.dropwizard.auth.Authenticator;

import java.util.Optional;

/** Finds the caller for a bearer key in the in-memory catalog: no database round trip per request. */
public class ApiKeyAuthenticator implements Authenticator<String, Caller> {
    private final LiveCatalog catalog;

    public ApiKeyAuthenticator(LiveCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public Optional<Caller> authenticate(String key) {
        if (!ApiKeys.isWellFormed(key)) {
            return Optional.empty();
        }
        return catalog.current().callerWithKeyHash(ApiKeys.hash(key));
    }
}
