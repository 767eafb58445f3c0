package com.simplemodelapi.catalog;

import io.dropwizard.lifecycle.Managed;

/** Holds the server's start until the catalog's first load, begun by {@link LiveCatalog#start}, is done. */
public record FirstLoadWait(LiveCatalog catalog) implements Managed {
    @Override
    public void start() throws Exception {
        catalog.awaitFirstLoad();
    }
}
