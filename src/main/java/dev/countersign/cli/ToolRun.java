package dev.countersign.cli;

import dev.countersign.config.SettingsException;
import dev.countersign.config.ToolSettings;
import java.io.PrintWriter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What every operator tool's command mixes in: {@code -h, --help}, where its results and
 * problems go, and a run with its settings and database. The settings come from the root
 * command however deep the tool sits ({@code audit verify}, {@code api-key create}), so no
 * command has to hand the root down to its subcommands.
 */
final class ToolRun {

    /** Work that needs the tool settings; returns the exit status. */
    @FunctionalInterface
    interface SettingsWork {
        int run(ToolSettings settings);
    }

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Mixin
    private HelpOption help;

    /** Standard output: the tool's results. */
    PrintWriter out() {
        return command.commandLine().getOut();
    }

    /** Standard error: what went wrong, and what the tool did besides its results. */
    PrintWriter err() {
        return command.commandLine().getErr();
    }

    /** A usage error to throw: picocli prints {@code message} and this command's help, exit 2. */
    ParameterException usageError(String message) {
        return new ParameterException(command.commandLine(), message);
    }

    /**
     * Reads the tool settings and runs {@code work}; exit {@value CountersignCommand#USAGE}
     * after saying on standard error which setting to fix.
     */
    int withSettings(SettingsWork work) {
        CountersignCommand root = (CountersignCommand) command.root().userObject();
        root.toolLogging().run();
        ToolSettings settings;
        try {
            settings = root.settings().get();
        } catch (SettingsException e) {
            PrintWriter err = err();
            int count = e.problems().size();
            err.println("Cannot run: " + (count == 1 ? "1 setting needs" : count
                    + " settings need") + " attention.");
            e.problems().forEach(problem -> err.println("  - " + problem));
            err.println("Set them in the environment or in .env (example.env lists them).");
            return CountersignCommand.USAGE;
        }
        return work.run(settings);
    }

    /** Reads the settings, then runs {@code work} on the database they name. */
    int withDatabase(OperatorTools.StoreWork work) {
        return withSettings(settings -> withDatabase(settings, work));
    }

    /** Runs {@code work} on the database {@code settings} name (see {@link OperatorTools}). */
    int withDatabase(ToolSettings settings, OperatorTools.StoreWork work) {
        return OperatorTools.withDatabase(err(), settings, work);
    }

    /** {@link #withDatabase(ToolSettings, OperatorTools.StoreWork)}, with the Slack surfaces. */
    int withDatabase(ToolSettings settings, OperatorTools.DatabaseWork work) {
        return OperatorTools.withDatabase(err(), settings, work);
    }
}
