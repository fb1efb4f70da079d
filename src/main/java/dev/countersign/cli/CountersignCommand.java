package dev.countersign.cli;

import dev.countersign.config.ToolSettings;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code java -jar countersign.jar [serve | audit verify | audit export | enroll | reset |
 * api-key create|list|revoke | requests list | requests show | requests cancel | help |
 * --version]}: the
 * server (the default) and the operator's tools, in one command line.
 *
 * <p>Exit codes: {@value #OK} done; {@value #FAILED} the audit trail is broken, or the database
 * failed while working; {@value #USAGE} a usage error or a setting to fix (the message names it).
 * Results go to standard output, problems to standard error.
 *
 * <p>Wiring: {@code System.exit(new CommandLine(new CountersignCommand(server,
 * SettingsLoader::toolsFromEnvironment, ToolLogging::toStandardError)).execute(args))}, where
 * {@code server} reads the full settings, starts the server and returns its exit code only
 * when it stops.
 */
@Command(name = "countersign", versionProvider = VersionProvider.class,
        description = "Step-up approval of payments and signatures in Slack. Without a command: "
                + "serve.",
        footer = {"", OperatorTools.SETTINGS_HELP},
        subcommands = {ServeCommand.class, AuditCommand.class, EnrollCommand.class,
                ResetCommand.class, ApiKeyCommand.class, RequestsCommand.class,
                HelpCommand.class})
public final class CountersignCommand implements Callable<Integer> {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    @Mixin
    private HelpOption help;

    @Option(names = {"-V", "--version"}, versionHelp = true,
            description = "Print the version and exit.")
    private boolean version;

    private final IntSupplier server;
    private final Supplier<ToolSettings> settings;
    private final Runnable toolLogging;

    /**
     * @param server      runs the server until it stops ({@code serve}, and no command at all)
     *                    and gives the exit code
     * @param settings    reads {@code DATABASE_URL}, {@code ALLOWED_COUNTRIES} and Slack's bot
     *                    token and API URL when a tool needs them; may throw a
     *                    {@link dev.countersign.config.SettingsException}
     * @param toolLogging run before a tool works: keeps logs off standard output, where its
     *                    results go (see {@link ToolLogging#toStandardError()})
     */
    public CountersignCommand(IntSupplier server, Supplier<ToolSettings> settings,
                              Runnable toolLogging) {
        this.server = Objects.requireNonNull(server, "server");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.toolLogging = Objects.requireNonNull(toolLogging, "toolLogging");
    }

    /** Leaves logging as it is (tests). */
    public CountersignCommand(IntSupplier server, Supplier<ToolSettings> settings) {
        this(server, settings, () -> {
        });
    }

    @Override
    public Integer call() {
        return serve();
    }

    int serve() {
        return server.getAsInt();
    }

    Supplier<ToolSettings> settings() {
        return settings;
    }

    Runnable toolLogging() {
        return toolLogging;
    }
}
