package com.simplemodelapi.models.resource;

import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.Timed;
import com.simplemodelapi.access.model.Caller;
import com.simplemodelapi.catalog.LiveCatalog;
import com.simplemodelapi.catalog.ModelLookup;
import com.simplemodelapi.catalog.ServedModel;
import com.simplemodelapi.models.api.ModelList;
import com.simplemodelapi.models.api.ModelView;
import io.dropwizard.auth.Auth;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Read-only: models are added by operators with the CLI, never over HTTP. */
@Path("/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {
    private final LiveCatalog catalog;

    public ModelsResource(LiveCatalog catalog) {
        this.catalog = catalog;
    }

    @GET
    @Timed
    @ExceptionMetered
    public ModelList list(@Auth Caller caller) {
        return new ModelList(catalog.current().latestOfGranted(caller).stream().map(ServedModel::view).toList());
    }

    @GET
    @Path("/{name}")
    @Timed
    @ExceptionMetered
    public ModelView latest(@Auth Caller caller, @PathParam("name") String name) {
        return ModelLookup.latest(catalog.current(), caller, ModelLookup.checkedName(name)).view();
    }

    @GET
    @Path("/{name}/versions/{version}")
    @Timed
    @ExceptionMetered
    public ModelView version(@Auth Caller caller, @PathParam("name") String name, @PathParam("version") String version) {
        int number = ModelLookup.checkedVersion(version);
        return ModelLookup.version(catalog.current(), caller, ModelLookup.checkedName(name), number).view();
    }
}
