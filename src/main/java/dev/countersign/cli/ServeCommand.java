package dev.countersign.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code serve}: runs the Slack app (also what no command at all does). */
@Command(name = "serve", description = "Run the Slack app (the default).")
final class ServeCommand implements Callable<Integer> {

    @ParentCommand
    private CountersignCommand root;

    @Mixin
    private HelpOption help;

    @Override
    public Integer call() {
        return root.serve();
    }
}
