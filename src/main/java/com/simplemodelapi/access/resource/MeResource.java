package com.simplemodelapi.access.resource;

import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.Timed;
import com.simplemodelapi.access.api.MeView;
import com.simplemodelapi.access.model.Caller;
import com.simplemodelapi.catalog.LiveCatalog;
import com.simplemodelapi.catalog.ServedModel;
import io.dropwizard.auth.Auth;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/v1/me")
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {
    private final LiveCatalog catalog;

    public MeResource(LiveCatalog catalog) {
        this.catalog = catalog;
    }

    @GET
    @Timed
    @ExceptionMetered
    public MeView me(@Auth Caller caller) {
        return new MeView(caller.name(),
                catalog.current().latestOfGranted(caller).stream().map(ServedModel::name).toList());
    }
}
