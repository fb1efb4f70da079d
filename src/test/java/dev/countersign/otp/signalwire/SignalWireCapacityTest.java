package dev.countersign.otp.signalwire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.testing.TestApp;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SignalWire calls beyond the cap wait for a slot and, after two seconds, fail: a code that is
 * never sent. So the client says when its slots are nearly all taken, and new requests are
 * turned away as busy instead of being admitted to fail.
 */
class SignalWireCapacityTest {

    private static final int CAP = 4;
    private final MockWebServer server = new MockWebServer();
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger held = new AtomicInteger();
    private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
    private SignalWireCodes codes;

    @BeforeEach
    void start() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                held.incrementAndGet();
                release.await(10, TimeUnit.SECONDS);
                return new MockResponse().setResponseCode(200)
                        .setHeader("Content-Type", "application/json")
                        .setBody("{\"success\":true}");
            }
        });
        server.start();
        codes = new SignalWireCodes(SignalWireConfig.of(server.url("/").toString(),
                "b3e1c0de-1111-4000-8000-00000000c0de", "PTsecret0123456789abcdefsecret",
                null), new OkHttpClient(), CAP);
    }

    @AfterEach
    void stop() throws IOException {
        release.countDown();
        callers.close();
        server.shutdown();
    }

    @Test
    void nearCapacityOnceThreeQuartersOfTheSlotsAreTakenAndNotAfter() {
        assertThat(codes.nearCapacity()).as("idle").isFalse();
        hold(2);
        assertThat(codes.nearCapacity()).as("half the slots taken").isFalse();

        hold(1);
        assertThat(codes.nearCapacity()).as("three of four taken").isTrue();

        release.countDown();
        TestApp.awaitCondition(() -> !codes.nearCapacity(), "slots given back");
    }

    private void hold(int calls) {
        int before = held.get();
        for (int i = 0; i < calls; i++) {
            callers.submit(() -> codes.verify("3fa85f64-5717-4562-b3fc-2c963f66afa6", "482913"));
        }
        TestApp.awaitCondition(() -> held.get() == before + calls, calls + " calls at SignalWire");
    }
}
