package dev.countersign;

import dev.countersign.approval.ActionBinding;
import dev.countersign.api.ApiServlet;
import dev.countersign.approval.ApprovalPolicy;
import dev.countersign.approval.ApprovalServices;
import dev.countersign.approval.ApprovalOutbox;
import dev.countersign.config.Settings;
import dev.countersign.config.SettingsException;
import dev.countersign.logging.LogLevels;
import dev.countersign.metrics.ServiceMetrics;
import dev.countersign.logging.LogSetup;
import dev.countersign.otp.OneTimeCodes;
import dev.countersign.otp.console.ConsoleCodes;
import dev.countersign.otp.signalwire.SignalWireCodes;
import dev.countersign.otp.signalwire.SignalWireConfig;
import dev.countersign.otp.signalwire.SpaceCheck;
import dev.countersign.slack.SlackApp;
import dev.countersign.slack.SlackConnection;
import dev.countersign.slack.SlackSignatureCheck;
import dev.countersign.slack.SlackStartupCheck;
import dev.countersign.slack.SocketModeConnection;
import dev.countersign.slack.WebhookFailureNotice;
import dev.countersign.approval.JobClaims;
import dev.countersign.store.Database;
import dev.countersign.store.JdbcSlackSurfaces;
import dev.countersign.store.JdbcStepCompletions;
import dev.countersign.store.SqliteStore;
import dev.countersign.web.Telemetry;
import dev.countersign.web.WebServer;
import dev.countersign.webhook.WebhookDispatcher;
import dev.countersign.webhook.WebhookEvents;
import dev.countersign.webhook.WebhookSigner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service, wired once from {@link Settings}: database, code provider, Slack, web
 * server. {@link #close()} stops everything in reverse order.
 */
public final class Countersign implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Countersign.class);
    /** Longer than any live instance takes from recording a code to sending it. */
    private static final Duration SHARED_RESUME_AFTER = Duration.ofSeconds(30);

    private final List<AutoCloseable> parts;
    private final WebServer web;
    private final SlackApp slackApp;

    private Countersign(List<AutoCloseable> parts, WebServer web, SlackApp slackApp) {
        this.parts = parts;
        this.web = web;
        this.slackApp = slackApp;
    }

    public static Countersign start(Settings settings, Clock clock) throws Exception {
        long started = System.nanoTime();
        LogSetup.use(settings.logFormat());
        LogLevels.apply(settings.logLevel());
        List<AutoCloseable> parts = new ArrayList<>();
        // Threads of its own: the common pool has one thread on two cores, which would serialise
        // the parallel start.
        ExecutorService startup = Executors.newThreadPerTaskExecutor(
                Thread.ofPlatform().name("start-up-", 0).factory());
        try {
            // Jetty, the database and the Slack client start in parallel: start-up is mostly class
            // loading. /healthz and /slack/events answer 503 until everything is ready.
            AtomicBoolean ready = new AtomicBoolean();
            AtomicReference<Database> opened = new AtomicReference<>();
            // In Socket Mode, also whether Slack can reach us: the connection must not be down
            // for more than 10 s.
            AtomicReference<BooleanSupplier> connected = new AtomicReference<>(() -> true);
            BooleanSupplier healthy = () -> ready.get() && opened.get().healthy()
                    && connected.get().getAsBoolean();
            // The meters' registry (mostly class loading) is made beside the database's opening;
            // Jetty starts once it is there, to be measured from its first request.
            CompletableFuture<ServiceMetrics> measuring = CompletableFuture.supplyAsync(
                    ServiceMetrics::create, startup);
            parts.add(() -> join(measuring).close());
            CompletableFuture<WebServer> serving = measuring.thenApplyAsync(metrics -> startWeb(
                    settings.bindAddress(), settings.port(), healthy, metrics.web()),
                    startup);
            parts.add(() -> join(serving).close());
            // Slack, SignalWire and the port are checked before the database is opened: a start
            // that fails leaves no database file behind to be mistaken for a working install.
            // Its driver, which touches no file, loads meanwhile.
            CompletableFuture.runAsync(() -> Database.loadDriver(settings.databaseUrl()), startup);
            checkRemotes(settings, startup);
            WebServer web = join(serving);
            CompletableFuture<Database> opening = CompletableFuture.supplyAsync(
                    () -> Database.open(settings.databaseUrl(), settings.keys()), startup);
            ServiceMetrics metrics = join(measuring);
            SlackConnection connection = SlackConnection.open(settings.slack(),
                    settings.dualControl(), metrics.slackCalls());
            parts.add(connection);
            Database database = join(opening);
            parts.add(database);
            opened.set(database);
            OneTimeCodes codes = metrics.timed(codes(settings, clock));
            SqliteStore store = new SqliteStore(database);
            metrics.watchStore(database, store::outboxBacklog, clock);
            // The webhook dispatcher comes first: approvals wake it, and it needs only Slack's
            // connection (to say when it gives up), not the Slack app.
            Optional<WebhookDispatcher> webhook = settings.webhook().map(target ->
                    new WebhookDispatcher(store, database.keys(), target.url(),
                            new WebhookSigner(target.secret()),
                            WebhookDispatcher.newHttpClient(), clock,
                            new WebhookFailureNotice(connection, clock,
                                    settings.adminUserIds())::gaveUp,
                            metrics.webhookDeliveries()));
            ApprovalOutbox outbox = webhook.isPresent() ? new WebhookEvents()
                    : ApprovalOutbox.NONE;
            ApprovalServices services = ApprovalServices.create(store, codes, policy(settings),
                    clock, connection.approvers(), outbox, new ActionBinding(database.keys()),
                    metrics.approvalEvents());
            Runnable afterApproval = webhook.<Runnable>map(dispatcher -> dispatcher::wake)
                    .orElse(() -> { });
            SlackApp slackApp = createSlack(settings, connection, services,
                    new JdbcSlackSurfaces(database), new JdbcStepCompletions(database), clock,
                    afterApproval);
            parts.add(slackApp);
            startSlack(slackApp, database.jobs());
            web.serveApi(new ApiServlet(store.apiClients(), services.external(),
                    slackApp.personSide(), ApiServlet.DEFAULT_RATE_PER_SECOND, clock));
            if (settings.slack().socketMode()) {
                SocketModeConnection socketMode = SocketModeConnection.start(
                        settings.slack().appToken().orElseThrow(), slackApp.bolt());
                parts.add(socketMode);
                connected.set(socketMode::healthy);
            } else {
                // Freshness is judged by the real clock: Slack stamps requests with it, whatever
                // clock the approvals run on.
                web.serveSlack(slackApp.bolt(), new SlackSignatureCheck(
                        settings.slack().signingSecret(), Clock.systemUTC()));
            }
            webhook.ifPresent(dispatcher -> {
                parts.add(dispatcher);
                dispatcher.start(database.jobs());
            });
            parts.add(AuditAnchors.start(store, database.keys(), clock, database.jobs()));
            connection.startApproverRefresh();
            // On a shared database a code recorded in the last half minute may be on its way
            // from another instance: only older ones were cut short by a stop.
            slackApp.resumeAfterRestart(database.shared()
                    ? clock.instant().minus(SHARED_RESUME_AFTER) : Instant.MAX);
            ready.set(true);
            log.info("Countersign ready in {} ms: {} on port {}, codes by {}, database {}",
                    (System.nanoTime() - started) / 1_000_000,
                    settings.slack().socketMode() ? "Socket Mode (health only)"
                            : "HTTP /slack/events",
                    web.port(), codes.name(), Database.redacted(settings.databaseUrl()));
            return new Countersign(parts, web, slackApp);
        } catch (Exception e) {
            closeAll(parts);
            throw e;
        } finally {
            startup.shutdown();
        }
    }

    /**
     * Asks Slack whether it takes the tokens and looks up SignalWire's space, at the same time;
     * throws one {@link SettingsException} naming every problem found.
     */
    private static void checkRemotes(Settings settings, ExecutorService startup) {
        CompletableFuture<List<String>> slack = CompletableFuture.supplyAsync(
                () -> SlackStartupCheck.withDefaults().problems(settings.slack()), startup);
        Optional<String> space = settings.signalWire().flatMap(signalWire -> SpaceCheck.problem(
                SignalWireConfig.of(signalWire.space(), signalWire.projectKey(),
                        signalWire.token(), signalWire.from().orElse(null)),
                Duration.ofSeconds(5)));
        List<String> problems = new ArrayList<>(join(slack));
        space.ifPresent(problems::add);
        if (!problems.isEmpty()) {
            throw new SettingsException(problems);
        }
    }

    private static WebServer startWeb(String address, int port, BooleanSupplier healthy,
                                      Telemetry telemetry) {
        try {
            return WebServer.start(address, port, healthy, telemetry);
        } catch (Exception e) {
            throw new IllegalStateException("cannot serve HTTP on " + address + " port " + port
                    + " (BIND_ADDRESS, PORT): " + e.getMessage(), e);
        }
    }

    /** The value, with the failure that stopped it rethrown as itself. */
    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }

    public int port() {
        return web.port();
    }

    /**
     * The Bolt app every Slack request runs through, over HTTP or Socket Mode alike (tests feed
     * it Socket Mode envelopes without a WebSocket).
     */
    public com.slack.api.bolt.App slackBolt() {
        return slackApp.bolt();
    }

    /** Runs one expiry pass now (it also runs every 15 s); returns how many requests expired. */
    public int sweepExpiredNow() {
        return slackApp.sweeper().sweep();
    }

    /** Gives the notices left undone and due now (the loop does it every 5 s); how many. */
    public int redeliverNoticesNow() {
        return slackApp.redeliverNotices();
    }

    private static void startSlack(SlackApp slackApp, JobClaims jobs) {
        try {
            slackApp.start(Duration.ofSeconds(15), jobs);
        } catch (IllegalArgumentException e) {
            throw tokenRefused(e);
        }
    }

    /** The Slack app, once auth.test (and bots.info) said where the token is installed. */
    private static SlackApp createSlack(Settings settings, SlackConnection connection,
                                        ApprovalServices services, JdbcSlackSurfaces surfaces,
                                        JdbcStepCompletions stepCompletions, Clock clock,
                                        Runnable afterApproval) {
        try {
            return SlackApp.create(settings, connection, services, surfaces, stepCompletions,
                    clock, afterApproval);
        } catch (IllegalArgumentException e) {
            throw tokenRefused(e);
        }
    }

    /** Reading the installation reports a refused token (or a missing scope) this way. */
    private static SettingsException tokenRefused(IllegalArgumentException e) {
        return new SettingsException(List.of("SLACK_BOT_TOKEN was not accepted by Slack at "
                + "SLACK_API_URL (" + e.getMessage().replaceAll("xox[a-z]-[A-Za-z0-9-]+",
                        "xox…")
                + "). Check the token, and that Slack is reachable."));
    }

    private static OneTimeCodes codes(Settings settings, Clock clock) {
        if (settings.otpProvider() == Settings.OtpProvider.CONSOLE) {
            log.warn("==================================================================");
            log.warn("OTP_PROVIDER=console: LOCAL TRIAL MODE. No SMS or call is sent; codes are");
            log.warn("printed in this log. Never use this mode for real approvals.");
            log.warn("==================================================================");
            return new ConsoleCodes(clock);
        }
        Settings.SignalWireSettings signalWire = settings.signalWire().orElseThrow();
        if (signalWire.from().isEmpty()) {
            log.warn("SIGNALWIRE_FROM is not set: codes go out with SignalWire's default text, which "
                    + "does not name the amount or payee. Set SIGNALWIRE_FROM to your SignalWire "
                    + "number so each code names what it approves.");
        }
        return new SignalWireCodes(SignalWireConfig.of(signalWire.space(), signalWire.projectKey(),
                signalWire.token(), signalWire.from().orElse(null)),
                        SignalWireCodes.newHttpClient());
    }

    static ApprovalPolicy policy(Settings settings) {
        return settings.approvalPolicy();
    }

    @Override
    public void close() {
        long stopping = System.nanoTime();
        try {
            web.close(); // first: stop taking requests while everything behind them still runs
        } catch (Exception e) {
            log.warn("stopping the web server: {}", e.toString());
        }
        closeAll(parts);
        log.info("Countersign stopped in {} ms", (System.nanoTime() - stopping) / 1_000_000);
    }

    private static void closeAll(List<AutoCloseable> parts) {
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                log.warn("stopping {}: {}", parts.get(i).getClass().getSimpleName(), e.toString());
            }
        }
    }
}
