package dev.countersign.testing;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test class whose tests share one app with the default settings, on a SQLite file in a temp
 * directory: started before the first test, closed after the last. (Test classes run one after
 * another, so the static field is one class's app at a time.)
 */
public abstract class AppPerClass {

    @TempDir
    static Path dir;

    protected static TestApp app;

    @BeforeAll
    static void startApp() throws Exception {
        app = TestApp.start(dir);
    }

    @AfterAll
    static void stopApp() {
        app.close();
    }
}
