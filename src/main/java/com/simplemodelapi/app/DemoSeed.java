package com.simplemodelapi.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplemodelapi.access.dao.UserDao;
import com.simplemodelapi.access.service.AccessService;
import com.simplemodelapi.models.file.ModelDefinition;
import com.simplemodelapi.models.service.ModelRegistrar;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * On the first start of the embedded database, adds a demo user who may call the demo models (two built-in
 * algorithms and one ONNX graph), so a newcomer can make a call straight away. The key is printed once and kept in {@code dataDir/demo-api-key}.
 */
public final class DemoSeed {
    private static final Logger LOG = LoggerFactory.getLogger(DemoSeed.class);
    static final String USER = "demo";
    private static final String KEY_FILE = "demo-api-key";

    private DemoSeed() {
    }

    public static void seedIfEmpty(Jdbi jdbi, ModelRegistrar registrar, ObjectMapper json, Path dataDir) {
        Path keyFile = dataDir.resolve(KEY_FILE);
        if (jdbi.onDemand(UserDao.class).count() > 0) {
            if (Files.exists(keyFile)) {
                LOG.info("The demo API key is in {}", keyFile.toAbsolutePath());
            }
            return;
        }
        AccessService access = new AccessService(jdbi);
        String key = access.addUser(USER).key();
        for (String file : DemoModels.MODEL_FILES) {
            ModelDefinition model = read(json, file);
            registrar.register(model);
            access.grant(USER, model.name());
        }
        ModelDefinition trees = read(json, DemoModels.ONNX_MODEL_FILE);
        registrar.register(trees, DemoModels.irisTrees());
        access.grant(USER, trees.name());
        write(keyFile, key);
        System.out.println("Demo user '" + USER + "' may call the demo models. Demo API key (also in "
                + keyFile.toAbsolutePath() + "):");
        System.out.println(key);
        System.out.flush();
    }

    private static ModelDefinition read(ObjectMapper json, String resource) {
        try (InputStream in = DemoSeed.class.getResourceAsStream(resource)) {
            return json.readValue(in, ModelDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException("The demo model " + resource + " is missing from the jar", e);
        }
    }

    private static void write(Path keyFile, String key) {
        try {
            Files.createDirectories(keyFile.getParent());
            Files.writeString(keyFile, key + "\n");
            Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the demo key to " + keyFile, e);
        }
    }
}
