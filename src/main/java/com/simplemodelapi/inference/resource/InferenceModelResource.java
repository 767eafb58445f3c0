package com.simplemodelapi.inference.resource;

import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.Timed;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplemodelapi.access.model.Caller;
import com.simplemodelapi.audit.RequestAudit;
import com.simplemodelapi.catalog.Catalog;
import com.simplemodelapi.catalog.LiveCatalog;
import com.simplemodelapi.catalog.ModelLookup;
import com.simplemodelapi.catalog.ServedModel;
import com.simplemodelapi.error.ClientText;
import com.simplemodelapi.inference.model.ModelMetadata;
import com.simplemodelapi.inference.model.ModelReady;
import com.simplemodelapi.inference.service.InferenceRequest;
import com.simplemodelapi.inference.service.InferenceRequestReader;
import com.simplemodelapi.inference.service.InferenceResponseWriter;
import com.simplemodelapi.inference.service.ModelTensors;
import com.simplemodelapi.inference.service.TensorBatch;
import com.simplemodelapi.models.api.OutputField;
import com.simplemodelapi.prediction.service.PredictionService;
import com.simplemodelapi.usage.service.Admits;
import com.simplemodelapi.usage.service.Quotas;
import io.dropwizard.auth.Auth;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.simplemodelapi.error.ApiException.badRequest;

/**
 * The Open Inference Protocol's model endpoints: metadata, readiness and inference, on the same catalog, keys, grants
 * and evaluators as /v1. A model the caller may not call is a 404, as on /v1. The answer is written here rather than
 * by Jersey's provider, as /v1's predictions are, and the body is read as a stream of tokens into one array per tensor.
 */
@Path("/v2/models/{name}")
@Produces(MediaType.APPLICATION_JSON)
public class InferenceModelResource {
    private final LiveCatalog catalog;
    private final Quotas quotas;
    private final int maxBatchSize;
    private final InferenceRequestReader requests;
    private final InferenceResponseWriter answers;

    public InferenceModelResource(LiveCatalog catalog, Quotas quotas, int maxBatchSize, ObjectMapper json) {
        this.catalog = catalog;
        this.quotas = quotas;
        this.maxBatchSize = maxBatchSize;
        this.requests = new InferenceRequestReader(json.getFactory());
        this.answers = new InferenceResponseWriter(json.getFactory());
    }

    @GET
    @Timed
    @ExceptionMetered
    public ModelMetadata latestMetadata(@Auth Caller caller, @PathParam("name") String name) {
        Catalog current = catalog.current();
        return metadata(current, caller, ModelLookup.latest(current, caller, ModelLookup.checkedName(name)));
    }

    @GET
    @Path("/versions/{version}")
    @Timed
    @ExceptionMetered
    public ModelMetadata versionMetadata(@Auth Caller caller, @PathParam("name") String name,
                                         @PathParam("version") String version) {
        Catalog current = catalog.current();
        return metadata(current, caller, pinned(current, caller, name, version));
    }

    @GET
    @Path("/ready")
    @Timed
    @ExceptionMetered
    public Response latestReady(@Auth Caller caller, @PathParam("name") String name) {
        return ready(ModelLookup.latest(catalog.current(), caller, ModelLookup.checkedName(name)));
    }

    @GET
    @Path("/versions/{version}/ready")
    @Timed
    @ExceptionMetered
    public Response versionReady(@Auth Caller caller, @PathParam("name") String name,
                                 @PathParam("version") String version) {
        return ready(pinned(catalog.current(), caller, name, version));
    }

    @POST
    @Path("/infer")
    @Consumes(MediaType.APPLICATION_JSON)
    @Timed
    @ExceptionMetered
    @Admits
    public byte[] inferLatest(@Auth Caller caller, @PathParam("name") String name, InputStream body)
            throws IOException {
        InferenceRequest request = requests.read(body);
        String checkedName = ModelLookup.checkedName(name);
        RequestAudit.current().model(checkedName, null);
        return infer(caller, ModelLookup.latest(catalog.current(), caller, checkedName), request);
    }

    @POST
    @Path("/versions/{version}/infer")
    @Consumes(MediaType.APPLICATION_JSON)
    @Timed
    @ExceptionMetered
    @Admits
    public byte[] inferVersion(@Auth Caller caller, @PathParam("name") String name,
                               @PathParam("version") String version, InputStream body) throws IOException {
        InferenceRequest request = requests.read(body);
        int number = ModelLookup.checkedVersion(version);
        String checkedName = ModelLookup.checkedName(name);
        RequestAudit.current().model(checkedName, number);
        return infer(caller, ModelLookup.version(catalog.current(), caller, checkedName, number), request);
    }

    private byte[] infer(Caller caller, ServedModel model, InferenceRequest request) throws IOException {
        RequestAudit audit = RequestAudit.current();
        audit.model(model.name(), model.version());
        PredictionService.requireAvailable(model);
        List<OutputField> outputs = requestedOutputs(model, request.outputs());
        TensorBatch batch = TensorBatch.of(model.view().inputs(), request.inputs(), maxBatchSize);
        quotas.admit(caller, batch.rows());
        audit.instances(batch.rows());
        List<Map<String, Object>> predictions = PredictionService.evaluate(model, batch.instances());
        try {
            return answers.write(model, request.id(), outputs, predictions);
        } catch (IOException | RuntimeException e) {
            model.errors().mark();
            throw new IllegalStateException("Model '" + model.name() + "' version " + model.version()
                    + " returned outputs that cannot be written as tensors", e);
        }
    }

    private static List<OutputField> requestedOutputs(ServedModel model, List<String> names) {
        List<OutputField> all = model.view().outputs();
        if (names == null) {
            return all;
        }
        List<OutputField> chosen = new ArrayList<>();
        for (OutputField output : all) {
            if (names.contains(output.name())) {
                chosen.add(output);
            }
        }
        for (String name : names) {
            if (all.stream().noneMatch(output -> output.name().equals(name))) {
                throw badRequest("invalid_output", "Output" + (ClientText.isShowable(name)
                        ? " '" + name + "'" : "") + " is not one this model gives; it gives "
                        + String.join(", ", all.stream().map(OutputField::name).toList()) + ".");
            }
        }
        return chosen;
    }

    private static ServedModel pinned(Catalog current, Caller caller, String name, String version) {
        int number = ModelLookup.checkedVersion(version);
        return ModelLookup.version(current, caller, ModelLookup.checkedName(name), number);
    }

    private static ModelMetadata metadata(Catalog current, Caller caller, ServedModel model) {
        return new ModelMetadata(model.name(),
                current.versions(caller, model.name()).stream().map(v -> Integer.toString(v.version())).toList(),
                model.view().algorithm(),
                model.view().inputs().stream().map(ModelTensors::input).toList(),
                model.view().outputs().stream().map(ModelTensors::output).toList());
    }

    private static Response ready(ServedModel model) {
        return Response.status(model.isAvailable() ? 200 : 503)
                .entity(new ModelReady(model.name(), model.isAvailable())).build();
    }
}
