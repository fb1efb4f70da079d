package dev.countersign.metrics;

import io.micrometer.core.instrument.Meter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The meters already made, by name and label values. A builder's {@code register} looks its
 * meter up again every time, through the registry's filters (the {@code countersign_} prefix
 * makes a new id on each call): per count, that was the largest allocator on the approval path
 * in the benchmark's JFR profile ({@code Counter$Builder}, 165 MB in 30 s). Here a count after
 * the first is a map lookup on a small key.
 */
final class Meters {

    private final Map<List<String>, Meter> made = new ConcurrentHashMap<>();

    /**
     * The meter named {@code name} with the label values {@code labels} (in the order its tags
     * are given), made by {@code make} the first time.
     */
    @SuppressWarnings("unchecked")
    <M extends Meter> M get(Supplier<M> make, String name, String... labels) {
        List<String> key = new ArrayList<>(labels.length + 1);
        key.add(name);
        Collections.addAll(key, labels);
        return (M) made.computeIfAbsent(key, ignored -> make.get());
    }
}
