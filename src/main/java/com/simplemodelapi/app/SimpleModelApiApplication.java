package com.simplemodelapi.app;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.simplemodelapi.access.auth.BearerKeyFilter;
import com.simplemodelapi.access.model.Caller;
import com.simplemodelapi.access.resource.MeResource;
import com.simplemodelapi.algorithm.Algorithms;
import com.simplemodelapi.audit.AuditAcceptingCheck;
import com.simplemodelapi.audit.AuditFilter;
import com.simplemodelapi.audit.AuditHealthCheck;
import com.simplemodelapi.audit.AuditLog;
import com.simplemodelapi.audit.AuditLogger;
import com.simplemodelapi.audit.AuditedJettyErrors;
import com.simplemodelapi.catalog.CatalogLoadedCheck;
import com.simplemodelapi.catalog.CatalogLoader;
import com.simplemodelapi.catalog.ChangeListener;
import com.simplemodelapi.catalog.FirstLoadWait;
import com.simplemodelapi.catalog.LiveCatalog;
import com.simplemodelapi.catalog.ModelsHealthCheck;
import com.simplemodelapi.catalog.RefreshTask;
import com.simplemodelapi.changes.service.ChangeLog;
import com.simplemodelapi.common.BuildInfo;
import com.simplemodelapi.common.SetupException;
import com.simplemodelapi.error.ApiExceptionMapper;
import com.simplemodelapi.error.DomainExceptionMapper;
import com.simplemodelapi.error.ErrorRenderer;
import com.simplemodelapi.error.ErrorShape;
import com.simplemodelapi.error.JsonErrorHandler;
import com.simplemodelapi.error.JsonProcessingExceptionMapper;
import com.simplemodelapi.error.UnexpectedExceptionMapper;
import com.simplemodelapi.error.WebApplicationExceptionMapper;
import com.simplemodelapi.inference.resource.InferenceModelResource;
import com.simplemodelapi.inference.resource.InferenceRequestFilter;
import com.simplemodelapi.inference.resource.InferenceServerResource;
import com.simplemodelapi.models.resource.ModelsResource;
import com.simplemodelapi.models.service.ModelRegistrar;
import com.simplemodelapi.openapi.DocsPageServlet;
import com.simplemodelapi.openapi.OpenApiResource;
import com.simplemodelapi.prediction.resource.PredictionResource;
import com.simplemodelapi.prometheus.CatalogMetrics;
import com.simplemodelapi.prometheus.DropwizardBridge;
import com.simplemodelapi.prometheus.HealthMetrics;
import com.simplemodelapi.prometheus.MeteredAuditLog;
import com.simplemodelapi.prometheus.PrometheusServlet;
import com.simplemodelapi.prometheus.RequestMetrics;
import com.simplemodelapi.prometheus.Routes;
import com.simplemodelapi.usage.resource.RateLimitHeaders;
import com.simplemodelapi.usage.resource.UsageResource;
import com.simplemodelapi.usage.service.CountingAuditLog;
import com.simplemodelapi.usage.service.FlushTask;
import com.simplemodelapi.usage.service.Quotas;
import com.simplemodelapi.usage.service.UsageCounter;
import com.simplemodelapi.usage.service.UsageFlusher;
import com.simplemodelapi.usage.service.UsageReports;
import com.simplemodelapi.web.RequestBodyFilter;
import com.simplemodelapi.web.RequestIdFilter;
import io.dropwizard.auth.AuthDynamicFeature;
import io.dropwizard.auth.AuthValueFactoryProvider;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jdbi3.JdbiFactory;
import io.dropwizard.lifecycle.JettyManaged;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;
import org.glassfish.jersey.server.ServerProperties;
import org.jdbi.v3.core.Jdbi;

import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The service: what it registers to serve requests. The command line, which starts it and adds the operators'
 * commands, is {@code cli.SimpleModelApiCli}.
 */
public class SimpleModelApiApplication extends Application<SimpleModelApiConfiguration> {
    /** The {@code application_name} of the connection that listens for changes, as pg_stat_activity shows it. */
    public static final String LISTENER_NAME = "simple-model-api-listener";

    @Override
    public String getName() {
        return "simple-model-api";
    }

    @Override
    public void initialize(Bootstrap<SimpleModelApiConfiguration> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
        configureJson(bootstrap.getObjectMapper());
    }

    /** How the application reads and writes JSON: requests, responses and model files. Tests build theirs with it. */
    public static ObjectMapper configureJson(ObjectMapper json) {
        json.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                // A misspelt field in a request or a model file is refused, not silently ignored.
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // So is anything after the document ("{...} garbage", a second document).
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // And a field given twice, which parsers disagree on (first wins, last wins).
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        // Numbers are most of what a prediction reads and writes; these are Jackson's faster, exact conversions.
        json.getFactory().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER.mappedFeature())
                .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER.mappedFeature());
        return json;
    }

    @Override
    public void run(SimpleModelApiConfiguration config, Environment environment) {
        if (config.getHealthFactory().isEmpty()) {
            throw new SetupException("config.yml has no health: section, so the server would have no readiness"
                    + " endpoint: copy the section from the config.yml in the jar's repository.");
        }
        DatabaseSetup database = DatabaseSetup.prepare(config, environment.metrics(),
                config.isMigrateOnStart() ? DatabaseSetup.Schema.MIGRATE : DatabaseSetup.Schema.LEAVE);
        if (database.isEmbedded()) {
            // Managed first, so it stops last, after the connection pool.
            environment.lifecycle().manage(database.embeddedServer());
        }
        Jdbi jdbi = new JdbiFactory().build(environment, config.getDatabase(), "postgres");
        Algorithms algorithms = Algorithms.discover(config.getAlgorithms(), environment.metrics());
        if (database.isEmbedded()) {
            DemoSeed.seedIfEmpty(jdbi, new ModelRegistrar(jdbi, algorithms,
                    environment.getObjectMapper()), environment.getObjectMapper(), Path.of(config.getDataDir()));
        }

        LiveCatalog catalog = new LiveCatalog(
                new CatalogLoader(jdbi, algorithms, environment.metrics(), environment.getObjectMapper()),
                environment.lifecycle().scheduledExecutorService("catalog-refresh").build(),
                config.getRefreshInterval(), Clock.systemUTC());
        // Listening before the first load begins, so that no change committed in between goes unheard.
        environment.lifecycle().manage(new ChangeListener(
                () -> DatabaseSetup.connect(config.getDatabase(), Map.of("ApplicationName", LISTENER_NAME)),
                ChangeLog.CHANNEL, catalog::refreshSoon, environment.metrics()));
        environment.lifecycle().manage(catalog);
        environment.healthChecks().register("models", new ModelsHealthCheck(catalog));
        environment.healthChecks().register("catalog-loaded", new CatalogLoadedCheck(catalog));
        environment.metrics().registerGauge("catalog.age_seconds", catalog::ageSeconds);
        environment.metrics().registerGauge("models.unavailable_versions",
                () -> catalog.current().unavailableVersions().size());
        environment.admin().addTask(new RefreshTask(catalog));
        environment.admin().addFilter("task-allow-list", new AdminTaskAllowList(Set.of("refresh", "usage-flush")))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/tasks/*");

        AuditLogger auditLog = new AuditLogger(environment.getObjectMapper(), environment.metrics(), Clock.systemUTC());
        environment.lifecycle().manage(auditLog);
        environment.healthChecks().register("audit", new AuditHealthCheck(auditLog));
        environment.healthChecks().register("audit-accepting", new AuditAcceptingCheck(auditLog));

        // GET /prometheus on the admin port, from a registry of the application's own (as its Dropwizard registry
        // is) rather than the client's global one. The request series are counted from the audit events.
        PrometheusRegistry prometheus = new PrometheusRegistry();
        JvmMetrics.builder().register(prometheus);
        DropwizardBridge.register(environment.metrics(), prometheus);
        CatalogMetrics.register(catalog, prometheus);
        HealthMetrics.register(environment.health().healthStateAggregator(), prometheus);
        Routes routes = new Routes(() -> environment.getApplicationContext().getContextPath() + "/"
                + environment.jersey().getUrlPattern().replace("*", ""));
        environment.jersey().register(routes);
        // Usage: counted in memory from each audit event, and added to the usage table every flush interval.
        UsageCounter usage = new UsageCounter();
        Quotas quotas = new Quotas(config.getUsage().getReplicas(), Clock.systemUTC(), System::nanoTime,
                () -> catalog.current().callers());
        UsageFlusher flusher = new UsageFlusher(jdbi, usage, quotas, config.getUsage(), environment.metrics(),
                Clock.systemUTC(), environment.lifecycle().scheduledExecutorService("usage-flush").build());
        // Managed after the audit log, so it stops before it: once the last request is answered and counted.
        environment.lifecycle().manage(flusher);
        environment.admin().addTask(new FlushTask(flusher));
        AuditLog audited = new MeteredAuditLog(new CountingAuditLog(auditLog, usage),
                new RequestMetrics(routes, catalog, prometheus));
        environment.admin().addServlet("prometheus", new PrometheusServlet(prometheus)).addMapping("/prometheus");

        // The Open Inference Protocol (/v2) has its own error shape.
        ErrorRenderer errors = new ErrorRenderer(environment.getObjectMapper(),
                Map.of("/v2", ErrorShape.OPEN_INFERENCE));
        EnumSet<DispatcherType> requests = EnumSet.of(DispatcherType.REQUEST);
        environment.servlets().addFilter("request-id", new RequestIdFilter(errors))
                .addMappingForUrlPatterns(requests, false, "/*");
        environment.servlets().addFilter("audit",
                        new AuditFilter(audited, errors, Clock.systemUTC()))
                .addMappingForUrlPatterns(requests, true, "/*");

        environment.jersey().register(new AuthDynamicFeature(new BearerKeyFilter(catalog, getName())));
        environment.jersey().register(new AuthValueFactoryProvider.Binder<>(Caller.class));
        environment.jersey().register(new RequestBodyFilter(config.getMaxRequestBytes().toBytes(),
                config.getMinRequestBytesPerSecond().toBytes()));

        AbstractServerFactory server = (AbstractServerFactory) config.getServerFactory();
        server.setMaxThreads(config.requestThreadsFor(Runtime.getRuntime().availableProcessors()));
        // Every error leaves in one shape; Dropwizard's own mappers would answer in theirs.
        server.setRegisterDefaultExceptionMappers(false);
        environment.jersey().register(new ApiExceptionMapper());
        environment.jersey().register(new DomainExceptionMapper());
        environment.jersey().register(new WebApplicationExceptionMapper());
        environment.jersey().register(new JsonProcessingExceptionMapper());
        environment.jersey().register(new UnexpectedExceptionMapper());
        // And so do the errors Jetty answers itself, in the servlet context and at the server (bad requests, which
        // never reach the audit filter and so are audited there).
        environment.getApplicationContext().setErrorHandler(new JsonErrorHandler(errors));
        AuditedJettyErrors serverErrors = new AuditedJettyErrors(errors, audited);
        environment.lifecycle().addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle server) {
                if (server instanceof Server built) {
                    // Dropwizard installs Jetty's HTML error handler when it builds the server, after run().
                    built.setErrorHandler(serverErrors);
                    // Jetty starts its parts in the order added, and the connectors last: this one starts after
                    // Jersey's set-up, which runs while the catalog loads, and before any request is taken.
                    built.addBean(new JettyManaged(new FirstLoadWait(catalog)));
                }
            }
        });

        // Jersey copies each response into a new buffer to learn its length, 8 KiB by default: the largest single
        // allocation of a prediction. 1 KiB holds a single prediction and an error; longer answers are sent chunked.
        environment.jersey().property(ServerProperties.OUTBOUND_CONTENT_LENGTH_BUFFER, 1024);
        environment.jersey().register(new MeResource(catalog));
        environment.jersey().register(new ModelsResource(catalog));
        environment.jersey().register(new PredictionResource(catalog, quotas, config.getMaxBatchSize(),
                environment.getObjectMapper()));
        environment.jersey().register(new RateLimitHeaders());
        environment.jersey().register(new UsageResource(new UsageReports(jdbi), Clock.systemUTC()));
        environment.jersey().register(new InferenceRequestFilter());
        environment.jersey().register(new InferenceServerResource(catalog, getName(), BuildInfo.version()));
        environment.jersey().register(new InferenceModelResource(catalog, quotas, config.getMaxBatchSize(),
                environment.getObjectMapper()));
        // The contract and the page that renders it, with no key.
        environment.jersey().register(new OpenApiResource(environment.getObjectMapper()));
        environment.servlets().addServlet("docs", new DocsPageServlet(errors)).addMapping("/docs/*");

        // Managed last, so it stops first.
        environment.lifecycle().manage(new HealthChecksStop(environment.healthChecks()));
    }
}
