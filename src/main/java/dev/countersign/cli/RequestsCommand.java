package dev.countersign.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code requests list | show | cancel}. */
@Command(name = "requests", description = "List, inspect or cancel approval requests.",
        footer = {"", OperatorTools.SETTINGS_HELP},
        subcommands = {RequestsListCommand.class, RequestsShowCommand.class,
                RequestsCancelCommand.class})
final class RequestsCommand implements Callable<Integer> {

    @Mixin
    private ToolRun tool;

    @Override
    public Integer call() {
        throw tool.usageError("Say what to do: requests list, "
                + "requests show REF, or requests cancel REF --reason TEXT");
    }
}
