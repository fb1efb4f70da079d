package dev.countersign.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code requests list | show | cancel}. */
@Command(name = "requests", description = "List, inspect or cancel approval requests.",
        footer = {"", OperatorTools.SETTINGS_HELP},
        subcommands = {RequestsListCommand.class, RequestsShowCommand.class,
                RequestsCancelCommand.class})
final class RequestsCommand implements Callable<Integer> {

    @ParentCommand
    private CountersignCommand root;

    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Say what to do: requests list, "
                + "requests show REF, or requests cancel REF --reason TEXT");
    }

    CountersignCommand root() {
        return root;
    }
}
