package com.simplemodelapi.prediction.resource;

import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.Timed;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.simplemodelapi.access.model.Caller;
import com.simplemodelapi.audit.RequestAudit;
import com.simplemodelapi.catalog.LiveCatalog;
import com.simplemodelapi.catalog.ModelLookup;
import com.simplemodelapi.catalog.ServedModel;
import com.simplemodelapi.prediction.model.BatchPredictionResponse;
import com.simplemodelapi.prediction.model.PredictRequest;
import com.simplemodelapi.prediction.model.PredictionResponse;
import com.simplemodelapi.prediction.service.PredictionService;
import com.simplemodelapi.usage.service.Admits;
import com.simplemodelapi.usage.service.Quotas;
import io.dropwizard.auth.Auth;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

@Path("/v1/models")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class PredictionResource {
    private final LiveCatalog catalog;
    private final Quotas quotas;
    private final int maxBatchSize;
    private final ObjectReader requests;
    private final ObjectWriter answers;
    private final ObjectWriter batchAnswers;

    /**
     * The body is read and the answer written here, with readers and writers made once from the application's
     * ObjectMapper, rather than by Jersey's Jackson provider, which looks its reader and writer up on every call: on
     * this path that lookup cost more than the model.
     */
    public PredictionResource(LiveCatalog catalog, Quotas quotas, int maxBatchSize, ObjectMapper json) {
        this.catalog = catalog;
        this.quotas = quotas;
        this.maxBatchSize = maxBatchSize;
        this.requests = json.readerFor(PredictRequest.class);
        this.answers = json.writerFor(PredictionResponse.class);
        this.batchAnswers = json.writerFor(BatchPredictionResponse.class);
    }

    @POST
    @Path("/{name}/predict")
    @Timed
    @ExceptionMetered
    @Admits
    public byte[] predictLatest(@Auth Caller caller, @PathParam("name") String name, InputStream body)
            throws IOException {
        PredictRequest request = read(body);
        String checkedName = ModelLookup.checkedName(name);
        RequestAudit audit = RequestAudit.current();
        audit.model(checkedName, null);
        return predict(caller, ModelLookup.latest(catalog.current(), caller, checkedName), request, audit);
    }

    @POST
    @Path("/{name}/versions/{version}/predict")
    @Timed
    @ExceptionMetered
    @Admits
    public byte[] predictVersion(@Auth Caller caller, @PathParam("name") String name,
                                 @PathParam("version") String version, InputStream body) throws IOException {
        PredictRequest request = read(body);
        int number = ModelLookup.checkedVersion(version);
        String checkedName = ModelLookup.checkedName(name);
        RequestAudit audit = RequestAudit.current();
        audit.model(checkedName, number);
        return predict(caller, ModelLookup.version(catalog.current(), caller, checkedName, number), request, audit);
    }

    /** The request, or null for an empty body, as Jersey's provider would read it. */
    private PredictRequest read(InputStream body) throws IOException {
        try (JsonParser parser = requests.createParser(body)) {
            return parser.nextToken() == null ? null : requests.readValue(parser);
        }
    }

    private byte[] predict(Caller caller, ServedModel model, PredictRequest request, RequestAudit audit) {
        audit.model(model.name(), model.version());
        PredictRequest.checkShape(request, maxBatchSize);
        quotas.admit(caller, request.inputs() != null ? 1 : request.instances().size());
        if (request.inputs() != null) {
            audit.instances(1);
            Map<String, Object> outputs = PredictionService.predict(model, List.of(request.inputs())).get(0);
            return write(answers, new PredictionResponse(request.id(), model.name(), model.version(), outputs), model);
        }
        audit.instances(request.instances().size());
        return write(batchAnswers, new BatchPredictionResponse(request.id(), model.name(), model.version(),
                PredictionService.predict(model, request.instances())), model);
    }

    /**
     * Outputs the evaluator returned that cannot be written as JSON are the model's failure, counted as one, and the
     * server's: a 500, whatever Jackson's exception would have suggested.
     */
    private static byte[] write(ObjectWriter writer, Object answer, ServedModel model) {
        try {
            return writer.writeValueAsBytes(answer);
        } catch (JsonProcessingException | RuntimeException e) {
            model.errors().mark();
            throw new IllegalStateException("Model '" + model.name() + "' version " + model.version()
                    + " returned outputs that cannot be written as JSON", e);
        }
    }
}
