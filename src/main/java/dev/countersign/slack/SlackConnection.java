package dev.countersign.slack;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.util.http.SlackHttpClient;
import dev.countersign.approval.ApproverDirectory;
import dev.countersign.config.Settings;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/**
 * The connection to Slack's Web API: one OkHttp client with timeouts (no silent retries: a retried
 * {@code chat.postMessage} could post twice), the Slack SDK on it, and the approver directory
 * (which reads a user group from Slack).
 */
public final class SlackConnection implements AutoCloseable {

    private final Slack slack;
    private final SlackGateway gateway;
    private final SlackApprovers approvers;

    private SlackConnection(Slack slack, SlackGateway gateway, SlackApprovers approvers) {
        this.slack = slack;
        this.gateway = gateway;
        this.approvers = approvers;
    }

    public static SlackConnection open(Settings.SlackSettings settings,
            Settings.DualControl dualControl) {
        return open(settings, dualControl, SlackCalls.NONE);
    }

    /** With {@code calls} hearing each Web API call's method, duration and error. */
    public static SlackConnection open(Settings.SlackSettings settings,
            Settings.DualControl dualControl, SlackCalls calls) {
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(3, TimeUnit.SECONDS)
                .readTimeout(10, TimeUnit.SECONDS)
                .writeTimeout(10, TimeUnit.SECONDS)
                .callTimeout(15, TimeUnit.SECONDS)
                .retryOnConnectionFailure(false)
                // One idle connection kept per concurrent call: a burst must not reconnect.
                .connectionPool(new ConnectionPool(256, 5, TimeUnit.MINUTES))
                .build();
        http.dispatcher().setMaxRequestsPerHost(256);
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(settings.apiUrl());
        config.setPrettyResponseLoggingEnabled(false);
        config.setStatsEnabled(false);
        Slack slack = Slack.getInstance(config, new SlackHttpClient(http));
        SlackGateway gateway = new SlackGateway(http, settings.apiUrl(), settings.botToken(),
                Duration.ofSeconds(30), calls);
        SlackApprovers approvers = new SlackApprovers(dualControl.approverUserIds(),
                dualControl.approverUsergroupId(), gateway);
        return new SlackConnection(slack, gateway, approvers);
    }

    /** Loads the approver group (if any) and keeps it fresh. */
    public void startApproverRefresh() {
        approvers.start(Duration.ofMinutes(5));
    }

    public ApproverDirectory approvers() {
        return approvers;
    }

    public Slack slack() {
        return slack;
    }

    SlackGateway gateway() {
        return gateway;
    }

    @Override
    public void close() {
        approvers.close();
        try {
            slack.close();
        } catch (Exception e) {
            // closing idle HTTP connections; nothing to do if it fails
        }
    }
}
