package dev.countersign.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Every Jackson mapper of the app, built one way: parse and write buffers come from one pool
 * shared by all threads. Jackson's default keeps ~40 KB of buffers per thread for the thread's
 * life; with hundreds of threads waiting on slow calls, that was the largest part of the live
 * heap (BENCHMARKS.md).
 */
public final class Json {

    private Json() {
    }

    public static ObjectMapper newMapper() {
        return new ObjectMapper(JsonFactory.builder()
                .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build());
    }
}
