package dev.countersign;

import dev.countersign.cli.CountersignCommand;
import dev.countersign.cli.ToolLogging;
import dev.countersign.config.SettingsException;
import dev.countersign.logging.LogSetup;
import dev.countersign.config.SettingsLoader;
import dev.countersign.config.Settings;
import java.io.PrintStream;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * {@code java -jar countersign.jar}: serves until stopped. With a command ({@code audit verify},
 * {@code audit export}, {@code enroll}, {@code reset}, {@code requests …}, {@code help},
 * {@code --version}) it is the operator's tool instead.
 */
public final class Main {

    private Main() {
    }

    /**
     * A thread that dies of running out of memory (or stack) leaves the service half alive; the
     * writer's death, say, would leave /healthz the only sign. Whatever thread it hits, the
     * process ends at once (exit 3) so a supervisor restarts it; the Dockerfile also runs the
     * JVM with -XX:+ExitOnOutOfMemoryError for allocations that fail outside any thread's run.
     */
    private static void exitOnFatalErrors() {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            if (error instanceof VirtualMachineError) {
                System.err.println("Countersign stops: " + error + " in thread "
                        + thread.getName());
                Runtime.getRuntime().halt(3);
            }
            if (previous != null) {
                previous.uncaughtException(thread, error);
            } else {
                System.err.println("uncaught in " + thread.getName() + ": " + error);
            }
        });
    }

    public static void main(String[] args) {
        // The server itself skips picocli: building its command model by reflection costs 0.3 s
        // of the 2 s start-up budget, and serving takes no options.
        int status = args.length == 0 ? serve() : new CommandLine(new CountersignCommand(
                Main::serve, SettingsLoader::toolsFromEnvironment, ToolLogging::toStandardError))
                .execute(args);
        LogSetup.flush();
        System.exit(status);
    }

    /** Reads the settings once, starts, and blocks until the process is asked to stop. */
    static int serve() {
        // Process-wide: only the real process gets them, not a test calling serve below.
        exitOnFatalErrors();
        Warmup.start();
        return serve(SettingsLoader::fromEnvironment, System.err);
    }

    /**
     * {@link #serve()} with the settings and the error stream given (tests): returns at once,
     * with the exit code, when start-up fails; otherwise serves until the process stops.
     */
    static int serve(Supplier<Settings> settings, PrintStream err) {
        try {
            Countersign countersign = Countersign.start(settings.get(), Clock.systemUTC());
            CountDownLatch stopped = new CountDownLatch(1);
            // SIGTERM: stop taking requests, finish those in flight (up to 20 s), then exit 0:
            // a stop asked for and done cleanly is a success to a supervisor, not signal 143.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                countersign.close();
                LogSetup.flush();
                stopped.countDown();
                Runtime.getRuntime().halt(CountersignCommand.OK);
            }, "shutdown"));
            stopped.await();
            return CountersignCommand.OK;
        } catch (SettingsException e) {
            err.println(e.getMessage());
            return CountersignCommand.USAGE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CountersignCommand.OK;
        } catch (Exception e) {
            err.println("Countersign could not start: " + e.getMessage());
            return CountersignCommand.FAILED;
        }
    }
}
