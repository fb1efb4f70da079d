package dev.countersign.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What the benchmark prints: the human-readable table (lines and sections, in order) and the one
 * JSON line with every figure, plus the targets and whether each was met.
 */
final class Report {

    private final ObjectNode json;
    private final StringBuilder out = new StringBuilder();
    private final List<String[]> targets = new ArrayList<>();
    private boolean allMet = true;
    private boolean disturbed;

    Report(ObjectNode json) {
        this.json = json;
    }

    boolean allMet() {
        return allMet;
    }

    /** Marks a target missed without a figure (a run that aborted). */
    void aborted() {
        allMet = false;
    }

    String table() {
        return out.toString();
    }

    void summary(double sustained, double ceiling, long started) {
        if (sustained >= 0 && ceiling > 0) {
            double ratio = sustained / ceiling;
            json.put("ratioToBareBolt", Math.round(ratio * 1000) / 1000.0);
            target("S2/S3 ratio to bare-Bolt ceiling", "≥ 0.30", Math.round(ratio * 1000) / 1000.0,
                    ratio >= 0.3);
        }
        section("Targets");
        ArrayNode list = json.putArray("targets");
        for (String[] target : targets) {
            line("  %-55s %-10s %14s   %s", target[0], target[1], target[2], target[3]);
            list.addObject().put("name", target[0]).put("target", target[1])
                    .put("measured", target[2]).put("met", target[3].equals("met"));
        }
        json.put("allTargetsMet", allMet);
        json.put("machineDisturbed", disturbed);
        if (disturbed) {
            line("WARNING: other processes used CPU during a measured window (see 'machine over the "
                    + "window' lines): rerun on a quiet machine before trusting these figures.");
        }
        line("bench ran %.0f s", (System.nanoTime() - started) / 1e9);
    }

    void target(String name, String goal, double measured, boolean met) {
        targetText(name, goal, fmt(measured), met);
    }

    void targetText(String name, String goal, String measured, boolean met) {
        targets.add(new String[] {name, goal, measured, met ? "met" : "MISSED"});
        allMet &= met;
    }

    void flows(ObjectNode node, Bucket bucket, boolean full) {
        node.put("flows", bucket.scheduledCount()).put("completed", bucket.completed.get())
                .put("completedPerSecond", round(bucket.completedPerSecond()))
                .put("errors", bucket.errorCount()).put("http5xx", bucket.http5xx.sum());
        node.putPOJO("errorKinds", bucket.errors());
        latency(node, "ackMs", bucket.ack);
        if (full) {
            latency(node, "viewsOpenMs", bucket.open);
            latency(node, "signalWireStartMs", bucket.start);
            latency(node, "viewsUpdateMs", bucket.update);
            latency(node, "submissionAnswerMs", bucket.answer);
            latency(node, "flowMs", bucket.complete);
        }
        latency(node, "driverLagMs", bucket.lag);
    }

    void steps(ObjectNode node, List<Bucket> steps, List<String> verdicts, boolean full) {
        ArrayNode stepNodes = node.putArray("steps");
        for (int i = 0; i < steps.size(); i++) {
            ObjectNode step = stepNodes.addObject();
            step.put("rate", steps.get(i).rate);
            flows(step, steps.get(i), full);
            step.put("pass", verdicts.get(i) == null);
            step.put("why", verdicts.get(i));
        }
    }

    static void latency(ObjectNode node, String name, Histogram histogram) {
        node.putObject(name).put("p50", ms(histogram, 50)).put("p99", ms(histogram, 99))
                .put("max", histogram.getTotalCount() == 0 ? 0
                        : round(histogram.getMaxValue() / 1000.0))
                .put("count", histogram.getTotalCount());
    }

    static ObjectNode child(ObjectNode node, ChildJvm child, ChildJvm.Usage usage,
                                    int flows) {
        return node.put("pid", child.pid()).put("peakRssMb", mb(usage.maxRssKb()))
                .put("vmHwmMb", mb(usage.hwmKb()))
                .put("peakHeapUsedMb", usage.peakHeapUsedKb() < 0 ? -1 : mb(usage.peakHeapUsedKb()))
                .put("heapCommittedMb", usage.maxHeapCommittedKb() < 0 ? -1
                        : mb(usage.maxHeapCommittedKb()))
                .put("gcPauses", usage.gcPauses()).put("gcPauseMaxMs", round(usage.gcPauseMaxMs()))
                .put("gcPauseTotalMs", round(usage.gcPauseTotalMs()))
                .put("threadsMax", usage.maxThreads()).put("cpuSeconds", round(usage.cpuSeconds()))
                .put("cpuMsPerFlow", flows == 0 ? 0 : round(usage.cpuSeconds() * 1000 / flows))
                .put("cpuCoresBusy", round(usage.cpuSeconds() / usage.seconds()))
                .put("benchCpuCoresBusy", round(usage.benchCpuSeconds() / usage.seconds()))
                .put("otherProcessesCpuCores", round(usage.otherCpuSeconds() / usage.seconds()))
                .put("windowSeconds", round(usage.seconds()));
    }

    static void database(ObjectNode node, DatabaseCheck db, String audit) {
        node.putObject("database").put("ok", db.ok()).put("flowsChecked", db.flowsChecked())
                .put("flowsNotApproved", db.flowsNotApproved())
                .put("flowsWithoutRequestId", db.flowsWithoutRequestId())
                .put("requestsWithoutExactlyOneApprovedRow",
                        db.requestsWithoutExactlyOneApprovedRow())
                .put("strayRequests", db.strayRequests())
                .put("paymentRequestsInFile", db.paymentRequests())
                .put("auditRows", db.auditRows()).put("auditVerify", audit)
                .putPOJO("byStatus", db.byStatus());
    }

    void overload(ObjectNode node, OverloadOutcome outcome) {
        node.putObject("overload").put("commands", outcome.commands())
                .put("acksLate", outcome.acksLate()).put("modalInTime", outcome.modalInTime())
                .put("busyInTime", outcome.busyInTime()).put("modalAndBusy", outcome.both())
                .put("neither", outcome.neither())
                .put("neitherShare", Math.round(outcome.neitherShare() * 10_000) / 10_000.0)
                .put("modalTooLate", outcome.modalLate()).put("busyTooLate", outcome.busyLate())
                .put("otherReplies", outcome.otherReplies()).put("approved", outcome.approved())
                .putPOJO("neitherWhy", outcome.neitherWhy());
    }

    void overloadLines(OverloadOutcome outcome, int ackWithinMs, int modalWithinMs,
                       int busyWithinMs) {
        line("commands %d: acked after %d ms (or never) %d; modal within %d ms %d; busy reply "
                        + "within %d ms %d (both %d); NEITHER %d (%.1f %%)", outcome.commands(),
                ackWithinMs, outcome.acksLate(), modalWithinMs, outcome.modalInTime(),
                busyWithinMs, outcome.busyInTime(), outcome.both(), outcome.neither(),
                100 * outcome.neitherShare());
        line("  modal too late (views.open after %d ms, or refused as expired) %d; busy reply too "
                        + "late %d; other response_url replies %d; approved in the end %d",
                modalWithinMs, outcome.modalLate(), outcome.busyLate(), outcome.otherReplies(),
                outcome.approved());
        if (!outcome.neitherWhy().isEmpty()) {
            line("  neither, by what happened instead: %s", outcome.neitherWhy());
        }
    }

    static void halfDone(ObjectNode node, DatabaseCheck.HalfDone check, String audit) {
        node.putObject("database").put("ok", check.ok()).put("requests", check.requests())
                .put("open", check.open()).put("openWithoutModal", check.openWithoutModal())
                .put("openWithoutCodeSent", check.openWithoutCodeSent())
                .put("halfDone", check.halfDone()).put("busyButCodeSent", check.busyButCodeSent())
                .put("busyButApproved", check.busyButApproved()).put("auditVerify", audit)
                .put("unreadable", check.unreadable()).putPOJO("byStatus", check.byStatus());
    }

    void halfDoneLine(String what, DatabaseCheck.HalfDone check, String audit) {
        if (check.unreadable() != null) {
            line("%s: half-done check FAILED: requests and challenges unreadable (%s); audit "
                    + "verify %s", what, check.unreadable(), audit);
            return;
        }
        line("%s: %s; %d payment requests of its commands %s; %d left open: %d without a "
                        + "modal, %d without a code sent (half-done: %d); told busy but a code was "
                        + "sent %d, but approved %d; audit verify %s", what,
                check.ok() ? "OK" : "FAILED",
                check.requests(), check.byStatus(), check.open(), check.openWithoutModal(),
                check.openWithoutCodeSent(), check.halfDone(), check.busyButCodeSent(),
                check.busyButApproved(), audit);
    }

    static void upstreamDelta(ObjectNode node, Bench.Upstream before, Bench.Upstream after) {
        ObjectNode up = node.putObject("upstream");
        ObjectNode calls = up.putObject("slackCalls");
        after.slackCalls().forEach((method, count) ->
                calls.put(method, count - before.slackCalls().getOrDefault(method, 0L)));
        up.put("slackConnectionsOpened", after.slackConnections() - before.slackConnections())
                .put("signalWireConnectionsOpened",
                        after.signalWireConnections() - before.signalWireConnections())
                .put("signalWireStarts", after.starts() - before.starts())
                .put("signalWireVerifies", after.verifies() - before.verifies())
                .put("signalWireRejected", after.rejected() - before.rejected());
    }

    /** The app's enrollment and warm-up phases (cold JIT: not held to the targets). */
    void phases(ObjectNode node, Bench.App app) {
        for (Bucket phase : List.of(app.enroll, app.warmUp)) {
            ObjectNode phaseNode = node.putObject(phase == app.enroll ? "enrollment" : "warmUp");
            phaseNode.put("rate", phase.rate);
            flows(phaseNode, phase, true);
        }
    }

    void phaseLines(Bench.App app) {
        for (Bucket phase : List.of(app.enroll, app.warmUp)) {
            line("%s (cold, upstreams instant, not held to targets): %d flows at %.0f/s, %d "
                            + "completed, ack p99 %.1f ms, flow p99 %.1f ms, errors %d %s",
                    phase.name, phase.scheduledCount(), phase.rate, phase.completed.get(),
                    ms(phase.ack, 99), ms(phase == app.enroll ? phase.answer : phase.complete, 99),
                    phase.errorCount(), phase.errors().isEmpty() ? "" : phase.errors());
            samples(phase);
        }
    }

    static void hotSpots(ObjectNode node, List<String> lines) {
        if (!lines.isEmpty()) {
            ArrayNode array = node.putArray("jfrHotSpots");
            lines.stream().limit(160).forEach(array::add);
        }
    }

    void latencyTable(Bucket bucket, boolean full) {
        line("  %-40s %9s %9s %9s %8s", "latency (ms)", "p50", "p99", "max", "count");
        latencyRow("command ack", bucket.ack);
        if (full) {
            latencyRow("command → views.open arrived", bucket.open);
            latencyRow("command → SignalWire start arrived", bucket.start);
            latencyRow("command → views.update arrived", bucket.update);
            latencyRow("view_submission → answer", bucket.answer);
            latencyRow("command → approval posted (whole flow)", bucket.complete);
        }
    }

    void latencyRow(String name, Histogram histogram) {
        line("  %-40s %9.1f %9.1f %9.1f %8d", name, ms(histogram, 50), ms(histogram, 99),
                histogram.getTotalCount() == 0 ? 0 : histogram.getMaxValue() / 1000.0,
                histogram.getTotalCount());
    }

    void stepTable(List<Bucket> steps, List<String> verdicts, boolean full) {
        if (full) {
            line("  %6s %6s %8s %8s %8s %8s %8s %8s %8s %8s %6s %7s  %s", "rate/s", "flows",
                    "ack p50", "ack p99", "ack max", "open p99", "start99", "answ p99",
                    "flow p99", "done/s", "errors", "lag p99", "verdict");
        } else {
            line("  %6s %6s %8s %8s %8s %8s %6s %7s  %s", "rate/s", "cmds", "ack p50", "ack p99",
                    "ack max", "acks/s", "errors", "lag p99", "verdict");
        }
        for (int i = 0; i < steps.size(); i++) {
            Bucket step = steps.get(i);
            String verdict = verdicts.get(i) == null ? "pass" : "FAIL: " + verdicts.get(i);
            double max = step.ack.getTotalCount() == 0 ? 0 : step.ack.getMaxValue() / 1000.0;
            if (full) {
                line("  %6.0f %6d %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f %6d %7.1f  %s",
                        step.rate, step.scheduledCount(), ms(step.ack, 50), ms(step.ack, 99), max,
                        ms(step.open, 99), ms(step.start, 99), ms(step.answer, 99),
                        ms(step.complete, 99), step.completedPerSecond(), step.errorCount(),
                        ms(step.lag, 99), verdict);
            } else {
                line("  %6.0f %6d %8.1f %8.1f %8.1f %8.1f %6d %7.1f  %s", step.rate,
                        step.scheduledCount(), ms(step.ack, 50), ms(step.ack, 99), max,
                        step.completedPerSecond(), step.errorCount(), ms(step.lag, 99), verdict);
            }
        }
    }

    void threadLine(ObjectNode node, Map<String, double[]> pools) {
        ObjectNode cpu = node.putObject("threadCpuSeconds");
        StringBuilder text = new StringBuilder();
        pools.entrySet().stream()
                .sorted((a, b) -> Double.compare(b.getValue()[0] + b.getValue()[1],
                        a.getValue()[0] + a.getValue()[1]))
                .forEach(entry -> {
                    double[] value = entry.getValue();
                    cpu.putObject(entry.getKey()).put("user", round(value[0]))
                            .put("system", round(value[1]));
                    if (value[0] + value[1] >= 0.2) {
                        text.append(String.format("%s %.1f+%.1f s, ", entry.getKey(), value[0],
                                value[1]));
                    }
                });
        line("app CPU by thread (user+system, ≥ 0.2 s): %s", text.length() == 0 ? "-"
                : text.substring(0, text.length() - 2));
    }

    void childLine(ChildJvm child, ChildJvm.Usage usage, int flows) {
        line("child pid %d: peak RSS %d MB (VmHWM %d MB), peak heap used %s MB (committed %s MB), "
                        + "GC pauses %d (max %.1f ms, total %.0f ms), threads max %d, CPU %.1f s "
                        + "(%.2f cores, %.2f ms/flow)", child.pid(), mb(usage.maxRssKb()),
                mb(usage.hwmKb()), usage.peakHeapUsedKb() < 0 ? "n/a" : mb(usage.peakHeapUsedKb()),
                usage.maxHeapCommittedKb() < 0 ? "n/a" : mb(usage.maxHeapCommittedKb()),
                usage.gcPauses(), usage.gcPauseMaxMs(), usage.gcPauseTotalMs(), usage.maxThreads(),
                usage.cpuSeconds(), usage.cpuSeconds() / usage.seconds(),
                flows == 0 ? 0 : usage.cpuSeconds() * 1000 / flows);
        double other = usage.otherCpuSeconds() / usage.seconds();
        line("machine over the window (%.0f s): app %.2f cores, benchmark JVM %.2f cores, other "
                        + "processes %.2f cores%s", usage.seconds(), usage.cpuSeconds() / usage.seconds(),
                usage.benchCpuSeconds() / usage.seconds(), other,
                other > 0.15 ? "  <-- WARNING: the machine was not quiet; figures are disturbed"
                        : "");
        if (other > 0.15) {
            disturbed = true;
        }
    }

    void databaseLine(String what, DatabaseCheck db, String audit) {
        line("%s: %s; %d flows checked: %d not APPROVED, %d without request id, %d without "
                        + "exactly one request.approved row; %d stray requests in the file; all "
                        + "payment requests %s; audit rows %d; audit verify %s", what,
                db.ok() ? "OK" : "FAILED", db.flowsChecked(), db.flowsNotApproved(),
                db.flowsWithoutRequestId(), db.requestsWithoutExactlyOneApprovedRow(),
                db.strayRequests(), db.byStatus(), db.auditRows(), audit);
    }

    void upstreamLine(Bench.Upstream before, Bench.Upstream after) {
        Map<String, Long> calls = new LinkedHashMap<>();
        after.slackCalls().forEach((method, count) -> {
            long delta = count - before.slackCalls().getOrDefault(method, 0L);
            if (delta != 0) {
                calls.put(method, delta);
            }
        });
        line("upstream: Slack calls %s; new TCP connections: Slack %d, SignalWire %d; SignalWire "
                        + "starts %d, verifies %d, rejected %d", calls,
                after.slackConnections() - before.slackConnections(),
                after.signalWireConnections() - before.signalWireConnections(),
                after.starts() - before.starts(), after.verifies() - before.verifies(),
                after.rejected() - before.rejected());
    }

    void samples(Bucket bucket) {
        for (String sample : bucket.samples()) {
            line("  e.g. [%s] %s", bucket.name, sample);
        }
    }

    void hotSpotLines(List<String> lines) {
        if (!lines.isEmpty()) {
            line("JFR of the measured window:");
            lines.forEach(text -> line("  %s", text));
        }
    }

    void section(String title) {
        out.append('\n').append(title).append('\n');
    }

    void line(String format, Object... args) {
        out.append(String.format(format, args)).append('\n');
    }

    static double ms(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? 0
                : round(histogram.getValueAtPercentile(percentile) / 1000.0);
    }

    static long mb(long kb) {
        return kb < 0 ? -1 : Math.round(kb / 1024.0);
    }

    static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    static String fmt(double value) {
        return value == Math.rint(value) ? Long.toString((long) value)
                : String.format("%.1f", value);
    }
}
