package com.simplemodelapi.testing;

import com.simplemodelapi.app.SimpleModelApiApplication;
import com.simplemodelapi.app.SimpleModelApiConfiguration;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import org.glassfish.jersey.client.ClientProperties;
import org.glassfish.jersey.client.JerseyClientBuilder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The real application, from the real config.yml, on random ports and a fresh test database. Anything config.yml
 * takes from the environment is set here with config overrides.
 */
public final class TestApp {
    /** The config.yml a user runs, at the project root (Surefire runs in the project directory). */
    public static final String CONFIG = Path.of("config.yml").toAbsolutePath().toString();
    /** config.yml's settings of the audit-file appender, for overrides: {@code AUDIT_APPENDER + "failClosed"}. */
    public static final String AUDIT_APPENDER = "logging.loggers.audit.appenders[0].";
    private static final String AUDIT_FILE = AUDIT_APPENDER + "file";

    private TestApp() {
    }

    /** Its {@code client()} waits {@link Poll#PATIENCE}, not Dropwizard's 1 s to connect and 5 s for an answer. */
    public static DropwizardAppExtension<SimpleModelApiConfiguration> extension(String databaseUrl, Path auditLog,
                                                                                ConfigOverride... extra) {
        return new DropwizardAppExtension<>(SimpleModelApiApplication.class, CONFIG,
                overrides("0", databaseUrl, auditLog, extra)) {
            @Override
            protected JerseyClientBuilder clientBuilder() {
                int patience = (int) Poll.PATIENCE.toMillis();
                return super.clientBuilder()
                        .property(ClientProperties.CONNECT_TIMEOUT, patience)
                        .property(ClientProperties.READ_TIMEOUT, patience);
            }
        };
    }

    public static DropwizardTestSupport<SimpleModelApiConfiguration> support(String databaseUrl, Path auditLog,
                                                                           ConfigOverride... extra) {
        return new DropwizardTestSupport<>(SimpleModelApiApplication.class, CONFIG,
                overrides("0", databaseUrl, auditLog, extra));
    }

    /**
     * With the application port fixed, for a test that must reach it before the start completes. (An extra override
     * of a key set here would not do: DropwizardTestSupport keeps its overrides in a set, in no particular order.)
     */
    public static DropwizardTestSupport<SimpleModelApiConfiguration> supportOnPort(int applicationPort,
                                                                                 String databaseUrl, Path auditLog) {
        return new DropwizardTestSupport<>(SimpleModelApiApplication.class, CONFIG,
                overrides(String.valueOf(applicationPort), databaseUrl, auditLog));
    }

    /**
     * Waits until the application has finished every request it took. A request is audited, and its usage counted,
     * as it ends, just after its answer was sent: a client that has its answer cannot know that happened until then.
     */
    public static void awaitNoRequestInProgress(Environment environment) {
        Poll.until(Poll.PATIENCE, () -> environment.metrics().counter(ACTIVE_REQUESTS).getCount(),
                active -> active == 0, "no request in progress");
    }

    /** The server's count of requests in progress, in its metrics (and on the admin port's /metrics). */
    public static final String ACTIVE_REQUESTS = "io.dropwizard.jetty.MutableServletContextHandler.active-requests";

    private static ConfigOverride[] overrides(String applicationPort, String databaseUrl, Path auditLog,
                                              ConfigOverride... extra) {
        List<ConfigOverride> overrides = new ArrayList<>(List.of(
                ConfigOverride.config("server.applicationConnectors[0].port", applicationPort),
                ConfigOverride.config("server.adminConnectors[0].port", "0"),
                ConfigOverride.config("database.url", databaseUrl),
                ConfigOverride.config("database.user", databaseUrl.isEmpty() ? "" : TestPostgres.USER),
                ConfigOverride.config(AUDIT_FILE, auditLog.toString())));
        overrides.addAll(List.of(extra));
        return overrides.toArray(ConfigOverride[]::new);
    }
}
