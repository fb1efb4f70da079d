package dev.countersign;

import dev.countersign.config.SettingsException;
import dev.countersign.config.SettingsLoader;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/** {@code java -jar countersign.jar}: reads the settings once and serves until stopped. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(serve());
    }

    static int serve() {
        try {
            Countersign countersign = Countersign.start(SettingsLoader.fromEnvironment(),
                    Clock.systemUTC());
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                countersign.close();
                stopped.countDown();
            }, "shutdown"));
            stopped.await();
            return 0;
        } catch (SettingsException e) {
            System.err.println(e.getMessage());
            return 2;
        } catch (Exception e) {
            System.err.println("Countersign could not start: " + e.getMessage());
            return 1;
        }
    }
}
