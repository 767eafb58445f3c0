package com.simplemodelapi.inference.resource;

import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.Timed;
import com.simplemodelapi.catalog.LiveCatalog;
import com.simplemodelapi.inference.model.ServerLive;
import com.simplemodelapi.inference.model.ServerMetadata;
import com.simplemodelapi.inference.model.ServerReady;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** The Open Inference Protocol's server endpoints, which need no key: what a probe or a client's first call asks. */
@Path("/v2")
@Produces(MediaType.APPLICATION_JSON)
public class InferenceServerResource {
    private final LiveCatalog catalog;
    private final ServerMetadata metadata;

    public InferenceServerResource(LiveCatalog catalog, String name, String version) {
        this.catalog = catalog;
        this.metadata = new ServerMetadata(name, version, List.of());
    }

    @GET
    @Timed
    @ExceptionMetered
    public ServerMetadata metadata() {
        return metadata;
    }

    @GET
    @Path("/health/live")
    @Timed
    @ExceptionMetered
    public ServerLive live() {
        return new ServerLive(true);
    }

    /** Ready once a catalog has been loaded; a server that could not load one yet has nothing to serve. */
    @GET
    @Path("/health/ready")
    @Timed
    @ExceptionMetered
    public Response ready() {
        boolean ready = catalog.lastSuccess() != null;
        return Response.status(ready ? 200 : 503).entity(new ServerReady(ready)).build();
    }
}
