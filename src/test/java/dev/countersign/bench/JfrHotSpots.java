package dev.countersign.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * A short reading of a JDK Flight Recorder file of the app under load: where CPU samples land
 * (own method, and the first Countersign frame on the stack), which threads they are on, where
 * threads wait for monitors and park, and what allocates. Used by {@link Bench} with
 * {@code jfr=true}; also runnable on its own: {@code JfrHotSpots <file.jfr>}.
 */
final class JfrHotSpots {

    private static final int TOP = 12;

    private final Map<String, Long> selfSamples = new HashMap<>();
    private final Map<String, Long> ownCodeSamples = new HashMap<>();
    private final Map<String, Long> threadSamples = new HashMap<>();
    private final Map<String, Long> monitorWaitMicros = new HashMap<>();
    private final Map<String, Long> parkMicros = new HashMap<>();
    private final Map<String, Long> allocationBytes = new HashMap<>();
    private long samples;

    private JfrHotSpots() {
    }

    public static void main(String[] args) throws IOException {
        read(Path.of(args[0])).forEach(System.out::println);
    }

    /** The report, as lines. */
    static List<String> read(Path recording) throws IOException {
        JfrHotSpots spots = new JfrHotSpots();
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            spots.add(event);
        }
        return spots.report();
    }

    private void add(RecordedEvent event) {
        String type = event.getEventType().getName();
        RecordedStackTrace stack = event.getStackTrace();
        switch (type) {
            case "jdk.ExecutionSample" -> {
                samples++;
                if (stack != null && !stack.getFrames().isEmpty()) {
                    selfSamples.merge(frame(stack.getFrames().get(0)), 1L, Long::sum);
                    ownCodeSamples.merge(firstOwnFrame(stack), 1L, Long::sum);
                }
                RecordedThread thread = event.getThread("sampledThread");
                threadSamples.merge(thread == null ? "?" : pool(thread.getJavaName()), 1L,
                        Long::sum);
            }
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
        lines.add("CPU samples: " + samples);
        section(lines, "hottest methods (self)", selfSamples, samples, "samples");
        section(lines, "first Countersign/Bolt frame on sampled stacks", ownCodeSamples, samples,
                "samples");
        section(lines, "CPU samples by thread pool", threadSamples, samples, "samples");
        section(lines, "monitor waits (total µs)", monitorWaitMicros, -1, "µs");
        section(lines, "parked threads (total µs, parks ≥ 10 ms)", parkMicros, -1, "µs");
        section(lines, "allocation (sampled bytes) by first own frame", allocationBytes, -1, "B");
        return lines;
    }

    private static void section(List<String> lines, String title, Map<String, Long> counts,
                                long total, String unit) {
        lines.add("-- " + title);
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(TOP)
                .forEach(entry -> lines.add(String.format("  %10d %s%s  %s", entry.getValue(), unit,
                        total > 0 ? String.format(" (%4.1f%%)", 100.0 * entry.getValue() / total)
                                : "", entry.getKey())));
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
        String type = frame.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName()
                + (frame.getLineNumber() > 0 ? ":" + frame.getLineNumber() : "")
                + " [" + type.substring(0, Math.max(0, type.lastIndexOf('.'))) + "]";
    }

    private static String pool(String thread) {
        return thread == null ? "?" : thread.replaceAll("[0-9]+", "N");
    }

    private static long micros(Duration duration) {
        return duration.toNanos() / 1_000;
    }
}
