package dev.countersign.cli;

import dev.countersign.api.ApiClient;
import dev.countersign.api.ApiKeys;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code api-key create | list | revoke}: the keys other systems call the REST API with. */
@Command(name = "api-key", description = "Make, list and revoke the keys other systems call the "
        + "REST API with.",
        subcommands = {ApiKeyCommand.Create.class, ApiKeyCommand.ListKeys.class,
                ApiKeyCommand.Revoke.class})
final class ApiKeyCommand implements Callable<Integer> {

    private static final String NAME_RULE = "NAME must be 1 to 63 lower-case letters, digits, "
            + "dots, dashes or underscores, starting with a letter or digit (like erp or "
            + "bank-portal)";

    @Mixin
    private ToolRun tool;

    @Override
    public Integer call() {
        throw tool.usageError("Say what to do: api-key create NAME, "
                + "api-key list, or api-key revoke NAME");
    }

    private static void checkName(ToolRun tool, String name) {
        if (!ApiKeys.NAME.matcher(name).matches()) {
            throw tool.usageError(NAME_RULE);
        }
    }

    /** {@code api-key create NAME}: prints the new key, once; only its hash is stored. */
    @Command(name = "create", description = "Make a key for the system NAME and print it (the "
            + "only line on standard output). It is shown this once: only its hash is kept.")
    static final class Create implements Callable<Integer> {
        @Mixin
        private ToolRun tool;

        @Parameters(paramLabel = "NAME", description = "the calling system, like erp")
        private String name;

        @Override
        public Integer call() {
            checkName(tool, name);
            return tool.withDatabase(store -> {
                String key = ApiKeys.newKey();
                if (!store.apiClients().create(name, ApiKeys.hash(key), Instant.now())) {
                    tool.err().println("api-key " + name + " exists already "
                            + "(revoked names stay taken, so old keys never come back): pick "
                            + "another name");
                    return CountersignCommand.USAGE;
                }
                tool.out().println(key);
                tool.err().println("Key for " + name + " made. Keep it secret: "
                        + "it is not shown again.");
                return CountersignCommand.OK;
            });
        }
    }

    /** {@code api-key list}: name, created, last used, revoked; never the key. */
    @Command(name = "list", description = "List the keys: name, when made, last used and "
            + "revoked. Keys themselves are never shown.")
    static final class ListKeys implements Callable<Integer> {
        @Mixin
        private ToolRun tool;

        @Override
        public Integer call() {
            return tool.withDatabase(store -> {
                PrintWriter out = tool.out();
                List<ApiClient> clients = store.apiClients().list();
                out.println(String.format("%-24s %-24s %-24s %s", "NAME", "CREATED", "LAST USED",
                        "REVOKED"));
                for (ApiClient client : clients) {
                    out.println(String.format("%-24s %-24s %-24s %s", client.name(),
                            client.createdAt(), orDash(client.lastUsedAt()),
                            orDash(client.revokedAt())));
                }
                return CountersignCommand.OK;
            });
        }

        private static String orDash(Instant at) {
            return at == null ? "-" : at.toString();
        }
    }

    /** {@code api-key revoke NAME}: its key stops working at once. */
    @Command(name = "revoke", description = "Revoke the key of NAME: calls with it are refused "
            + "(401) from now on.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        private ToolRun tool;

        @Parameters(paramLabel = "NAME", description = "the system whose key to revoke")
        private String name;

        @Override
        public Integer call() {
            checkName(tool, name);
            return tool.withDatabase(store -> {
                if (!store.apiClients().revoke(name, Instant.now())) {
                    tool.err().println("api-key " + name + ": no such key, or "
                            + "revoked already (api-key list shows them)");
                    return CountersignCommand.USAGE;
                }
                tool.out().println("api-key " + name + " revoked");
                return CountersignCommand.OK;
            });
        }
    }
}
