package com.simplemodelapi.reliability;

import com.simplemodelapi.app.SimpleModelApiConfiguration;
import com.simplemodelapi.testing.TestApp;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import io.dropwizard.testing.DropwizardTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The catalog's first load runs in the background while Jersey starts (see {@code FirstLoadWait}); the server must
 * still not start without it.
 */
class CatalogAtStartTest {
    @TempDir
    Path temp;

    @Test
    void aServerWhoseFirstCatalogLoadFailsDoesNotStart() {
        String database = TestPostgres.newMigratedDatabase();
        // Behind the migrations' back: the schema check passes, and only the catalog's load finds the table gone.
        new TestData(database).jdbi().useHandle(handle -> handle.execute("DROP TABLE grants"));
        DropwizardTestSupport<SimpleModelApiConfiguration> app = TestApp.support(database, temp.resolve("audit.log"));
        try {
            assertThatThrownBy(app::before).hasStackTraceContaining("relation \"grants\" does not exist");
        } finally {
            app.after();
        }
    }
}
