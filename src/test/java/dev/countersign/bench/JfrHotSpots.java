package dev.countersign.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * A short reading of a JDK Flight Recorder file of the app under load: where CPU samples land
 * (top frame, top frame with the Countersign frame that led to it, library, the Countersign
 * methods on the stack), which threads they are on, where threads wait for monitors, park or pin
 * their carrier, and what allocates. Given the app's CPU per flow, each CPU share is also shown
 * as milliseconds per flow: where a flow's CPU goes. Used by {@link Bench} with {@code jfr=…};
 * also runnable on its own: {@code JfrHotSpots <file.jfr> [cpu ms per flow]}.
 */
final class JfrHotSpots {

    private static final int TOP = 12;

    /** CPU samples of one kind, counted by where they landed. */
    private static final class CpuSamples {
        private final Map<String, Long> self = new HashMap<>();
        private final Map<String, Long> ownCode = new HashMap<>();
        private final Map<String, Long> paths = new HashMap<>();
        private final Map<String, Long> libraries = new HashMap<>();
        private final Map<String, Long> inclusive = new HashMap<>();
        private final Map<String, Long> threads = new HashMap<>();
        /** Samples with a stack: the whole that shares are of. */
        private long count;
        /** Failed stack walks, threads without Java frames: not shared out. */
        private long withoutStack;

        void add(RecordedStackTrace stack, RecordedThread thread) {
            if (stack == null || stack.getFrames().isEmpty()) {
                withoutStack++;
                return;
            }
            count++;
            String top = frame(stack.getFrames().get(0));
            String own = firstOwnFrame(stack);
            self.merge(top, 1L, Long::sum);
            ownCode.merge(own, 1L, Long::sum);
            paths.merge(top.equals(own) ? top : top + "  <-  " + own, 1L, Long::sum);
            libraries.merge(library(stack.getFrames().get(0)), 1L, Long::sum);
            ownMethods(stack).forEach(method -> inclusive.merge(method, 1L, Long::sum));
            threads.merge(pool(thread), 1L, Long::sum);
        }
    }

    /** Sampled every 10 ms of wall time among threads running Java code at that moment. */
    private final CpuSamples execution = new CpuSamples();
    /**
     * Sampled every 10 ms of a thread's own CPU time, native code included (JDK 25, Linux). A
     * thread that uses less than that in the window is never sampled, so with a thread per
     * request these undercount the request threads and favour busy ones (the database writer).
     */
    private final CpuSamples cpuTime = new CpuSamples();
    private final Map<String, Long> pinnedMicros = new HashMap<>();
    private final Map<String, Long> monitorWaitMicros = new HashMap<>();
    private final Map<String, Long> parkMicros = new HashMap<>();
    private final Map<String, Long> allocationBytes = new HashMap<>();
    private final double cpuMsPerFlow;

    private JfrHotSpots(double cpuMsPerFlow) {
        this.cpuMsPerFlow = cpuMsPerFlow;
    }

    public static void main(String[] args) throws IOException {
        double perFlow = args.length > 1 ? Double.parseDouble(args[1]) : 0;
        read(Path.of(args[0]), perFlow).forEach(System.out::println);
    }

    /** The report, as lines; {@code cpuMsPerFlow} (0: unknown) turns shares into ms per flow. */
    static List<String> read(Path recording, double cpuMsPerFlow) throws IOException {
        JfrHotSpots spots = new JfrHotSpots(cpuMsPerFlow);
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            spots.add(event);
        }
        return spots.report();
    }

    private void add(RecordedEvent event) {
        String type = event.getEventType().getName();
        RecordedStackTrace stack = event.getStackTrace();
        switch (type) {
            case "jdk.CPUTimeSample" -> cpuTime.add(stack, event.getThread("eventThread"));
            case "jdk.ExecutionSample" -> execution.add(stack, event.getThread("sampledThread"));
            case "jdk.VirtualThreadPinned" -> pinnedMicros.merge(firstOwnFrame(stack),
                    micros(event.getDuration()), Long::sum);
            case "jdk.JavaMonitorEnter" -> {
                String monitor = event.getClass("monitorClass") == null ? "?"
                        : event.getClass("monitorClass").getName();
                monitorWaitMicros.merge(monitor + " at " + firstOwnFrame(stack),
                        micros(event.getDuration()), Long::sum);
            }
            case "jdk.ThreadPark" -> {
                String parked = event.getClass("parkedClass") == null ? "?"
                        : event.getClass("parkedClass").getName();
                parkMicros.merge(parked + " at " + firstOwnFrame(stack),
                        micros(event.getDuration()), Long::sum);
            }
            case "jdk.ObjectAllocationSample" -> {
                if (stack != null) {
                    allocationBytes.merge(firstOwnFrame(stack), event.getLong("weight"),
                            Long::sum);
                }
            }
            default -> {
            }
        }
    }

    private List<String> report() {
        List<String> lines = new ArrayList<>();
        CpuSamples cpu = execution;
        lines.add("execution samples (jdk.ExecutionSample): " + cpu.count + " (and "
                + cpu.withoutStack + " without a stack, left out)"
                + (cpuMsPerFlow > 0 ? String.format("; Java threads' CPU %.2f ms per flow, "
                        + "shared out below as ms/flow", cpuMsPerFlow) : ""));
        cpuSection(lines, "where a flow's CPU goes: top frame <- the Countersign/Bolt frame that "
                + "led there", cpu.paths, cpu.count);
        cpuSection(lines, "hottest methods (self)", cpu.self, cpu.count);
        cpuSection(lines, "first Countersign/Bolt frame on sampled stacks", cpu.ownCode,
                cpu.count);
        cpuSection(lines, "Countersign methods anywhere on sampled stacks (inclusive)",
                cpu.inclusive, cpu.count);
        cpuSection(lines, "library of the top frame", cpu.libraries, cpu.count);
        cpuSection(lines, "CPU samples by thread pool", cpu.threads, cpu.count);
        if (cpuTime.count > 0) {
            // Time in native code (sockets, SQLite), which execution samples cannot see.
            lines.add("CPU-time samples (jdk.CPUTimeSample, native code included, but a thread "
                    + "is sampled per 10 ms of its own CPU, so short-lived request threads are "
                    + "undercounted): " + cpuTime.count);
            cpuSection(lines, "CPU time: top frame <- the Countersign/Bolt frame that led there",
                    cpuTime.paths, cpuTime.count);
            cpuSection(lines, "CPU time by thread pool", cpuTime.threads, cpuTime.count);
        }
        section(lines, "monitor waits (total µs)", monitorWaitMicros, -1, "µs");
        section(lines, "parked threads (total µs, parks ≥ 10 ms)", parkMicros, -1, "µs");
        section(lines, "virtual threads pinned to their carrier (total µs, ≥ 20 ms)",
                pinnedMicros, -1, "µs");
        section(lines, "allocation (sampled bytes) by first own frame", allocationBytes, -1, "B");
        return lines;
    }

    private void cpuSection(List<String> lines, String title, Map<String, Long> counts,
                            long samples) {
        section(lines, title, counts, samples, "samples");
    }

    private void section(List<String> lines, String title, Map<String, Long> counts, long total,
                         String unit) {
        lines.add("-- " + title);
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(TOP)
                .forEach(entry -> lines.add(String.format("  %10d %s%s%s  %s", entry.getValue(),
                        unit, total > 0 ? String.format(" (%4.1f%%)", 100.0 * entry.getValue()
                                / total) : "", total > 0 && cpuMsPerFlow > 0
                                ? String.format(" %6.3f ms/flow", cpuMsPerFlow * entry.getValue()
                                / total) : "", entry.getKey())));
    }

    /** Each Countersign method on the stack once (recursion counted once). */
    private static Set<String> ownMethods(RecordedStackTrace stack) {
        Set<String> methods = new LinkedHashSet<>();
        for (RecordedFrame frame : stack.getFrames()) {
            String type = typeName(frame);
            // A lambda's frame only forwards to its lambda$ method, which is counted itself.
            if (type.startsWith("dev.countersign.") && !type.endsWith("$$Lambda")) {
                methods.add(type.substring(type.lastIndexOf('.') + 1) + "."
                        + frame.getMethod().getName());
            }
        }
        return methods;
    }

    /** The frame's class; a lambda's hidden class as {@code Owner$$Lambda}, without its address. */
    private static String typeName(RecordedFrame frame) {
        return frame.getMethod().getType().getName().replaceFirst("\\$\\$Lambda[./].*$",
                "\\$\\$Lambda");
    }

    /** The first three parts of the frame's package: {@code org.sqlite.core}, {@code java.util}. */
    private static String library(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        String[] parts = type.split("\\.");
        return String.join(".", Arrays.asList(parts).subList(0, Math.min(3, parts.length - 1)));
    }

    /** The first frame of Countersign's own code (or Bolt's), else the top frame. */
    private static String firstOwnFrame(RecordedStackTrace stack) {
        if (stack == null || stack.getFrames().isEmpty()) {
            return "?";
        }
        for (RecordedFrame frame : stack.getFrames()) {
            String type = frame.getMethod().getType().getName();
            if (type.startsWith("dev.countersign.") || type.startsWith("com.slack.api.bolt.")) {
                return frame(frame);
            }
        }
        return frame(stack.getFrames().get(0));
    }

    private static String frame(RecordedFrame frame) {
        String type = typeName(frame);
        return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName()
                + (frame.getLineNumber() > 0 ? ":" + frame.getLineNumber() : "")
                + " [" + type.substring(0, Math.max(0, type.lastIndexOf('.'))) + "]";
    }

    /** A thread's name with digits folded ({@code http-N}); virtual threads are marked. */
    private static String pool(RecordedThread thread) {
        if (thread == null) {
            return "?";
        }
        String name = thread.getJavaName() == null ? "?" : thread.getJavaName();
        String folded = name.isEmpty() ? "(unnamed)" : name.replaceAll("[0-9]+", "N");
        return thread.isVirtual() ? "virtual " + folded : folded;
    }

    private static long micros(Duration duration) {
        return duration.toNanos() / 1_000;
    }
}
