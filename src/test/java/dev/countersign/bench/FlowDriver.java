package dev.countersign.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plays Slack and many people towards the app, open-loop: commands leave at fixed intervals from
 * a start time whatever the answers do, and every latency is measured from the time the schedule
 * said to send (so a slow answer cannot hold back the next send and hide itself). Everything else
 * in a flow reacts to what arrives at the fakes: the modal opened ({@code views.open}, which
 * carries the view id and the request id in {@code private_metadata}), the code started at
 * SignalWire, the modal updated; then the right code is submitted ({@code view_submission}) and
 * the flow completes when the approval is posted to the command's {@code response_url}.
 * Requests are signed as Slack signs them. Sends use {@link HttpClient#sendAsync}. Overload
 * flows ({@link Flow.Kind#OVERLOAD}) may also end with a "busy" reply instead.
 */
final class FlowDriver implements LoadSlack.Listener, LoadSignalWire.Listener, AutoCloseable {

    private static final Pattern PAYEE = Pattern.compile("Payee (\\d+)");
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern BUSY = Pattern.compile("busy", Pattern.CASE_INSENSITIVE);

    private final LoadSlack slack;
    private final ExecutorService callbacks;
    private final HttpClient http;
    private final ScheduledExecutorService timer;
    private final Map<Long, Flow> flows = new ConcurrentHashMap<>();
    private final Map<String, Flow> byView = new ConcurrentHashMap<>();
    private final Map<String, Flow> enrolling = new ConcurrentHashMap<>();
    private final Map<String, Flow> enrollingUsers = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final LongAdder unmatched = new LongAdder();
    private final LongAdder late = new LongAdder();
    private volatile List<URI> events;
    private final java.util.concurrent.atomic.AtomicLong sent =
            new java.util.concurrent.atomic.AtomicLong();
    private volatile SlackSigner signer;
    private volatile long thinkNanos;

    FlowDriver(LoadSlack slack, ScheduledExecutorService timer) {
        this.slack = slack;
        this.timer = timer;
        this.callbacks = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "driver-http");
            thread.setDaemon(true);
            return thread;
        });
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(callbacks)
                .build();
    }

    /** Where commands go ({@code http://127.0.0.1:port/slack/events}) and how they are signed. */
    void target(URI slackEvents, String signingSecret) {
        targets(List.of(slackEvents), signingSecret);
    }

    /**
     * Several apps behind one load balancer with no stickiness: each request (a command, a code
     * submission) goes to the next of {@code slackEvents} in turn.
     */
    void targets(List<URI> slackEvents, String signingSecret) {
        this.events = List.copyOf(slackEvents);
        this.signer = new SlackSigner(signingSecret);
    }

    /** How long a person takes to type the code once the modal says it was sent. */
    void thinkTime(Duration think) {
        this.thinkNanos = think.toNanos();
    }

    /** Events at the fakes that matched no flow (should stay 0). */
    long unmatched() {
        return unmatched.sum();
    }

    /** Events for flows already given up (e.g. approved after the drain time): not errors. */
    long late() {
        return late.sum();
    }

    HttpClient http() {
        return http;
    }

    /**
     * Sends {@code count} flows of {@code kind} at {@code rate} per second, round-robin over
     * {@code users}, and returns once the last one has been sent (not answered).
     */
    Bucket run(String name, Flow.Kind kind, double rate, int count, List<Flow.User> users) {
        Bucket bucket = new Bucket(name, rate);
        long period = Math.round(1e9 / rate);
        long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        for (int i = 0; i < count; i++) {
            long intended = t0 + i * period;
            long wait;
            while ((wait = intended - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            Flow flow = new Flow(ids.incrementAndGet(), kind, users.get(i % users.size()), bucket,
                    intended);
            send(flow);
        }
        return bucket;
    }

    /**
     * Waits for every flow of {@code bucket} to end; those still open at {@code timeout} fail
     * with the stage they were stuck in. True when all completed.
     */
    boolean drain(Bucket bucket, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (bucket.inFlight.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        for (Flow flow : bucket.flows) {
            if (!flow.ended()) {
                fail(flow, "incomplete: " + flow.stage(), "flow " + flow.id);
            }
        }
        return bucket.failed.get() == 0 && bucket.errorCount() == 0;
    }

    /** Lets go of the flows of a finished scenario. */
    void forget(Bucket bucket) {
        for (Flow flow : bucket.flows) {
            flows.remove(flow.id);
            if (flow.viewId != null) {
                byView.remove(flow.viewId);
            }
            if (flow.kind == Flow.Kind.ENROLL) {
                enrolling.remove(flow.user.phone(), flow);
                enrollingUsers.remove(flow.user.id(), flow);
            }
        }
    }

    // --- sending ------------------------------------------------------------------------------

    private void send(Flow flow) {
        Bucket bucket = flow.bucket;
        flows.put(flow.id, flow);
        bucket.scheduled(flow);
        String text;
        if (flow.kind == Flow.Kind.ENROLL) {
            enrolling.put(flow.user.phone(), flow);
            enrollingUsers.put(flow.user.id(), flow);
            text = "enroll " + flow.user.phone();
        } else {
            text = "pay " + (10 + flow.id % 900) + " USD to Payee " + flow.id;
        }
        String hex = Long.toHexString(flow.id * 0x9E3779B97F4A7C15L);
        String body = "token=legacy-verification-token&team_id=" + LoadSlack.TEAM
                + "&team_domain=countersign-bench&channel_id=C0FINANCE1&channel_name=finance"
                + "&user_id=" + flow.user.id() + "&user_name=user." + flow.user.id().toLowerCase()
                + "&command=%2Fapprove&text=" + encode(text)
                + "&api_app_id=A0CSAPP001&is_enterprise_install=false"
                + "&response_url=" + encode(slack.responseUrl(LoadSlack.TEAM + "/" + flow.id + "/"
                + hex))
                + "&trigger_id=" + flow.id + "." + intendedEpochMillis(flow) + "." + hex;
        long now = System.nanoTime();
        flow.sentAt = now;
        Bucket.record(bucket.lag, now - flow.intended);
        post(body).whenComplete((response, failure) -> acked(flow, response, failure));
    }

    /** The wall-clock time of the intended send: Slack's trigger lives 3 s from the command. */
    private static long intendedEpochMillis(Flow flow) {
        return System.currentTimeMillis() - (System.nanoTime() - flow.intended) / 1_000_000;
    }

    private void submit(Flow flow) {
        String user = flow.user.id();
        String payload = "{\"type\":\"view_submission\",\"team\":{\"id\":\"" + LoadSlack.TEAM
                + "\",\"domain\":\"countersign-bench\"},\"user\":{\"id\":\"" + user
                + "\",\"username\":\"user." + user.toLowerCase() + "\",\"team_id\":\""
                + LoadSlack.TEAM + "\"},\"api_app_id\":\"A0CSAPP001\","
                + "\"token\":\"legacy-verification-token\",\"trigger_id\":\"" + flow.id
                + ".1.2\",\"view\":{\"id\":\"" + flow.viewId + "\",\"type\":\"modal\","
                + "\"callback_id\":\"countersign_code\",\"private_metadata\":\"" + flow.requestId
                + "\",\"hash\":\"h-any\",\"team_id\":\"" + LoadSlack.TEAM + "\",\"state\":{"
                + "\"values\":{\"code\":{\"code_input\":{\"type\":\"plain_text_input\","
                + "\"value\":\"" + LoadSignalWire.CODE + "\"}}}}}}";
        flow.submitAt = System.nanoTime();
        post("payload=" + encode(payload))
                .whenComplete((response, failure) -> answered(flow, response, failure));
    }

    private CompletableFuture<HttpResponse<String>> post(String body) {
        String stamp = Long.toString(System.currentTimeMillis() / 1000);
        List<URI> targets = events;
        URI target = targets.get((int) (sent.getAndIncrement() % targets.size()));
        HttpRequest request = HttpRequest.newBuilder(target)
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Slack-Request-Timestamp", stamp)
                .header("X-Slack-Signature", signer.sign(stamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    // --- what came back -----------------------------------------------------------------------

    private void acked(Flow flow, HttpResponse<String> response, Throwable failure) {
        long now = System.nanoTime();
        flow.ackAt = now;
        Bucket bucket = flow.bucket;
        Bucket.record(bucket.ack, now - flow.intended);
        if (failure != null) {
            fail(flow, "command failed: " + rootCause(failure), "after "
                    + (now - flow.sentAt) / 1_000_000 + " ms");
        } else if (response.statusCode() >= 500) {
            bucket.http5xx.increment();
            fail(flow, "command HTTP " + response.statusCode(), snippet(response.body()));
        } else if (response.statusCode() != 200) {
            fail(flow, "command HTTP " + response.statusCode(), snippet(response.body()));
        } else if (flow.kind == Flow.Kind.OVERLOAD && isBusy(response.body())) {
            // An ephemeral "busy" in the ack itself: as prompt as a reply can be.
            busy(flow, now);
        } else if (!response.body().isEmpty()) {
            fail(flow, "command refused", snippet(response.body()));
        } else if (flow.kind == Flow.Kind.ACK_ONLY) {
            progress(flow, now);
        }
    }

    private void answered(Flow flow, HttpResponse<String> response, Throwable failure) {
        long now = System.nanoTime();
        flow.answerAt = now;
        Bucket bucket = flow.bucket;
        Bucket.record(bucket.answer, now - flow.submitAt);
        if (failure != null) {
            fail(flow, "submission failed: " + rootCause(failure), "after "
                    + (now - flow.submitAt) / 1_000_000 + " ms");
        } else if (response.statusCode() >= 500) {
            bucket.http5xx.increment();
            fail(flow, "submission HTTP " + response.statusCode(), snippet(response.body()));
        } else if (response.statusCode() != 200) {
            fail(flow, "submission HTTP " + response.statusCode(), snippet(response.body()));
        } else if (response.body().contains("\"response_action\":\"errors\"")) {
            fail(flow, "submission answered errors", snippet(response.body()));
        } else {
            progress(flow, now);
        }
    }

    @Override
    public void viewOpened(String triggerId, String viewId, String privateMetadata, long at) {
        Flow flow = triggerId == null ? null : flows.get(leadingNumber(triggerId));
        if (flow == null) {
            unmatched.increment();
            return;
        }
        flow.viewId = viewId;
        flow.requestId = privateMetadata;
        flow.openAt = at;
        byView.put(viewId, flow);
        Bucket.record(flow.bucket.open, at - flow.intended);
        ready(flow);
    }

    @Override
    public void triggerRefused(String triggerId, String error, long at) {
        Flow flow = triggerId == null ? null : flows.get(leadingNumber(triggerId));
        if (flow == null) {
            unmatched.increment();
            return;
        }
        if (flow.kind == Flow.Kind.OVERLOAD) {
            // Measured, not failed: what counts is the reply the app then owes the person.
            if (flow.openRefusedAt == 0) {
                flow.openRefusedAt = at;
            }
            return;
        }
        fail(flow, "views.open refused: " + error, "after " + (at - flow.intended) / 1_000_000
                + " ms");
    }

    @Override
    public void viewUpdated(String viewId, long at) {
        Flow flow = viewId == null ? null : byView.get(viewId);
        if (flow == null) {
            unmatched.increment();
            return;
        }
        if (flow.updates.incrementAndGet() == 1) {
            flow.updateAt = at;
            Bucket.record(flow.bucket.update, at - flow.intended);
            ready(flow);
        }
    }

    @Override
    public void started(String to, String message, String challengeId, long at) {
        Flow flow = null;
        if (message != null) {
            Matcher payee = PAYEE.matcher(message);
            if (payee.find()) {
                flow = flows.get(Long.parseLong(payee.group(1)));
            }
        }
        if (flow == null && to != null) {
            flow = enrolling.get(to);
        }
        if (flow == null) {
            unmatched.increment();
            return;
        }
        if (flow.startAt == 0) {
            flow.startAt = at;
            Bucket.record(flow.bucket.start, at - flow.intended);
        }
    }

    @Override
    public void responsePosted(String path, String body, long at) {
        // /response/<team>/<flow id>/<hex>
        String[] parts = path.split("/");
        Flow flow = parts.length > 3 ? flows.get(leadingNumber(parts[3])) : null;
        if (flow == null) {
            unmatched.increment();
            return;
        }
        if (body.contains("Approved") && body.contains("\"in_channel\"")) {
            int posts = flow.approvalPosts.incrementAndGet();
            if (posts == 1) {
                flow.approvedAt = at;
                Bucket.record(flow.bucket.complete, at - flow.intended);
                progress(flow, at);
            } else {
                fail(flow, "approval posted more than once", "flow " + flow.id);
            }
        } else if (flow.kind == Flow.Kind.OVERLOAD && isBusy(body)) {
            busy(flow, at);
        } else {
            if (flow.otherReplyAt == 0) {
                flow.otherReplyAt = at;
            }
            fail(flow, "unexpected response_url post", snippet(body));
        }
    }

    /** A "busy" text that only the person sees (a busy notice in the channel would not do). */
    private static boolean isBusy(String body) {
        return body != null && BUSY.matcher(body).find() && !body.contains("\"in_channel\"");
    }

    /** The app turned the command away as busy: the flow ends, neither completed nor failed. */
    private static void busy(Flow flow, long at) {
        if (flow.busyAt == 0) {
            flow.busyAt = at;
            Bucket.record(flow.bucket.busy, at - flow.intended);
        }
        if (flow.end()) {
            flow.bucket.endedBusy();
        }
    }

    @Override
    public void messagePosted(String channel, long at) {
        // A DM to someone enrolling is the confirmation that the phone is now stored.
        Flow flow = channel == null ? null : enrollingUsers.get(channel);
        if (flow != null && flow.messages.incrementAndGet() == 1) {
            progress(flow, at);
        }
    }

    private void ready(Flow flow) {
        if (flow.readyEvents.decrementAndGet() != 0 || flow.ended()) {
            return;
        }
        long think = thinkNanos;
        if (think <= 0) {
            submit(flow);
        } else {
            timer.schedule(() -> submit(flow), think, TimeUnit.NANOSECONDS);
        }
    }

    private static void progress(Flow flow, long at) {
        if (flow.pendingEnds.decrementAndGet() == 0 && flow.end()) {
            flow.completed = true;
            flow.bucket.ended(true, at);
        }
    }

    /**
     * A flow fails once, for its first reason. Something wrong after it completed is counted
     * too; what happens after it was given up (a late approval) is not an error again.
     */
    private void fail(Flow flow, String kind, String detail) {
        if (flow.end()) {
            flow.bucket.error(kind, detail);
            flow.bucket.ended(false, System.nanoTime());
        } else if (flow.completed) {
            flow.bucket.error(kind + " (after completing)", detail);
        } else {
            late.increment();
        }
    }

    private static long leadingNumber(String text) {
        int end = 0;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
            end++;
        }
        return end == 0 ? -1 : Long.parseLong(text.substring(0, end));
    }

    private static String rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName();
    }

    private static String snippet(String body) {
        if (body == null) {
            return "";
        }
        return body.length() <= 160 ? body : body.substring(0, 160) + "…";
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        callbacks.shutdownNow();
    }
}
